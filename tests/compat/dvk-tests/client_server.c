// SPDX-License-Identifier: GPL-2.0
/*
 * client_server.c - an original-style client/server pair.  The parent
 * binds two children (lclbind) that wait for it (wait4bind), and prints
 * their descriptors.  The client's requests carry its own addresses in the
 * message's pointer fields, the MINIX way: the server reads the text at
 * m1_p1 and writes the answer at m1_p2 with vcopy, then answers with send;
 * the client sends a pointer in m7_p1 that comes back in the final reply,
 * and notifies the server in between.  Exit 0 when every step saw what it
 * should.  Usage: client_server <dcid> <server_nr> <client_nr>
 */
#include <ctype.h>
#include "tests.h"

#define WAIT_30SECS	30000
#define RQST_UPPER	0x0A	/* m1_p1 text, m1_i1 its length, m1_p2 room for the answer */
#define SRV_ANSWER	0x0B	/* m1_i1 length, m1_p3 where the answer was written */
#define RQST_TAG	0x0C	/* a plain send: m7_p1 a pointer the server keeps */
#define RQST_EXIT	0x0E	/* the reply's m7_p1 gives the tag back */

static int dcid, server_nr, client_nr, server_ep, client_ep;

static int run_server(void)
{
	message msg, *m_ptr = &msg;
	char text[64], *tag = NULL, *src;
	int i, ret, len, notified = FALSE;

	for (;;) {
		memset(m_ptr, 0, sizeof(message));
		ret = dvk_receive_T(ANY, m_ptr, WAIT_30SECS);
		if (ret < 0)
			ERROR_RETURN(ret);
		if (m_ptr->m_type == NOTIFY_FROM(client_nr)) {
			USRDEBUG("SERVER NOTIFY: " MSG9_FORMAT, MSG9_FIELDS(m_ptr));
			if (m_ptr->NOTIFY_SOURCE != client_ep || m_ptr->NOTIFY_TIMESTAMP.tv_sec == 0)
				ERROR_RETURN(EDVSBADSRCDST);
			notified = TRUE;
			continue;
		}
		if (m_ptr->m_source != client_ep)
			ERROR_RETURN(EDVSBADSRCDST);
		switch (m_ptr->m_type) {
		case RQST_UPPER:
			USRDEBUG("SERVER REQUEST: " MSG1_FORMAT, MSG1_FIELDS(m_ptr));
			src = m_ptr->m1_p1;		/* an address in the client */
			len = m_ptr->m1_i1;
			if (len <= 0 || len >= (int)sizeof(text))
				ERROR_RETURN(EDVSRANGE);
			ret = dvk_vcopy(m_ptr->m_source, src, SELF, text, len);
			if (ret < 0)
				ERROR_RETURN(ret);
			text[len] = '\0';
			USRDEBUG("SERVER got [%s] from endpoint %d\n", text, m_ptr->m_source);
			for (i = 0; i < len; i++)
				text[i] = (char)toupper((unsigned char)text[i]);
			ret = dvk_vcopy(SELF, text, m_ptr->m_source, m_ptr->m1_p2, len + 1);
			if (ret < 0)
				ERROR_RETURN(ret);
			m_ptr->m_type = SRV_ANSWER;
			m_ptr->m1_i1 = len;
			m_ptr->m1_p3 = m_ptr->m1_p2;
			ret = dvk_send_T(m_ptr->m_source, m_ptr, WAIT_30SECS);
			if (ret < 0)
				ERROR_RETURN(ret);
			break;
		case RQST_TAG:
			USRDEBUG("SERVER TAG: " MSG7_FORMAT, MSG7_FIELDS(m_ptr));
			if (m_ptr->m7_p1 == NULL || m_ptr->m7_p2 != NULL)
				ERROR_RETURN(EDVSBADVALUE);
			tag = m_ptr->m7_p1;
			break;
		case RQST_EXIT:
			if (!notified || tag == NULL)
				ERROR_RETURN(EDVSNOMSG);
			m_ptr->m_type = SRV_ANSWER;
			m_ptr->m7_p1 = tag;
			m_ptr->m7_p2 = NULL;
			ret = dvk_reply(m_ptr->m_source, m_ptr);
			if (ret < 0)
				ERROR_RETURN(ret);
			USRDEBUG("SERVER exiting\n");
			return OK;
		default:
			ERROR_RETURN(EDVSBADREQUEST);
		}
	}
}

static int run_client(void)
{
	static char tag_area[8];
	char text[] = "hello compat", answer[64];
	message msg, *m_ptr = &msg;
	char *p;
	int ret;

	/* 1: sendrec, the text and the room for the answer as pointers */
	memset(m_ptr, 0, sizeof(message));
	memset(answer, 0, sizeof(answer));
	m_ptr->m_type = RQST_UPPER;
	m_ptr->m1_i1 = (int)strlen(text);
	m_ptr->m1_p1 = text;
	m_ptr->m1_p2 = answer;
	m_ptr->m1_p3 = NULL;
	ret = dvk_sendrec(server_ep, m_ptr);
	if (ret != OK)
		ERROR_RETURN(ret);
	USRDEBUG("CLIENT REPLY: " MSG1_FORMAT, MSG1_FIELDS(m_ptr));
	p = m_ptr->m1_p3;
	if (m_ptr->m_source != server_ep || m_ptr->m_type != SRV_ANSWER || p != answer ||
	    strcmp(answer, "HELLO COMPAT") != 0)
		ERROR_RETURN(EDVSBADVALUE);
	USRDEBUG("CLIENT answer [%s] written where m1_p3 points\n", p);

	/* 2: a plain send with a pointer the server keeps */
	memset(m_ptr, 0, sizeof(message));
	m_ptr->m_type = RQST_TAG;
	m_ptr->m7_p1 = tag_area;
	ret = dvk_send(server_ep, (long)m_ptr);	/* the original macros took an integer */
	if (ret != OK)
		ERROR_RETURN(ret);

	/* 3: a notify */
	ret = dvk_notify(server_ep);
	if (ret != OK)
		ERROR_RETURN(ret);

	/* 4: the tag comes back in the reply */
	memset(m_ptr, 0, sizeof(message));
	m_ptr->m_type = RQST_EXIT;
	ret = dvk_sendrec_T(server_ep, m_ptr, WAIT_30SECS);
	if (ret != OK)
		ERROR_RETURN(ret);
	USRDEBUG("CLIENT REPLY: " MSG7_FORMAT, MSG7_FIELDS(m_ptr));
	p = m_ptr->m7_p1;
	if (p != tag_area)
		ERROR_RETURN(EDVSBADVALUE);
	USRDEBUG("CLIENT tag pointer came back\n");
	return OK;
}

/* a child: wait until the parent binds it, then run */
static void child(int my_ep, int (*run)(void))
{
	int ret;

	while ((ret = dvk_wait4bind_T(WAIT_30SECS)) != my_ep) {
		if (ret != EDVSTIMEDOUT)
			ERROR_EXIT(ret);
		ERROR_PRINT(ret);
	}
	if (run == run_client) {
		while ((ret = dvk_wait4bindep_T(server_ep, WAIT_30SECS)) != server_ep) {
			if (ret != EDVSTIMEDOUT)
				ERROR_EXIT(ret);
			ERROR_PRINT(ret);
		}
	}
	exit(run() == OK ? 0 : 1);
}

static void show(int p_nr)
{
	proc_usr_t usr_info, *p_usr = &usr_info;
	int ret;

	ret = dvk_getprocinfo(dcid, p_nr, p_usr);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf(PROC_USR_FORMAT, PROC_USR_FIELDS(p_usr));
	printf(PROC_WAIT_FORMAT, PROC_WAIT_FIELDS(p_usr));
	printf(PROC_COUNT_FORMAT, PROC_COUNT_FIELDS(p_usr));
}

int main(int argc, char *argv[])
{
	pid_t server_pid, client_pid;
	int ret, server_sts, client_sts;

	if (argc != 4) {
		fprintf(stderr, "Usage: %s <dcid> <server_nr> <client_nr>\n", argv[0]);
		exit(EXIT_FAILURE);
	}
	dcid = atoi(argv[1]);
	server_ep = server_nr = atoi(argv[2]);
	client_ep = client_nr = atoi(argv[3]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	ret = dvk_open();
	if (ret < 0)
		ERROR_EXIT(ret);
	server_pid = fork();
	if (server_pid == 0)
		child(server_ep, run_server);
	client_pid = fork();
	if (client_pid == 0)
		child(client_ep, run_client);

	ret = dvk_lclbind(dcid, server_pid, server_nr);
	if (ret < EDVSERRCODE || ret != server_ep) {
		kill(server_pid, SIGKILL);
		kill(client_pid, SIGKILL);
		ERROR_EXIT(ret);
	}
	show(server_nr);
	ret = dvk_lclbind(dcid, client_pid, client_nr);
	if (ret < EDVSERRCODE || ret != client_ep) {
		kill(server_pid, SIGKILL);
		kill(client_pid, SIGKILL);
		ERROR_EXIT(ret);
	}
	show(client_nr);

	waitpid(client_pid, &client_sts, 0);
	waitpid(server_pid, &server_sts, 0);
	if (!WIFEXITED(client_sts) || WEXITSTATUS(client_sts) != 0 ||
	    !WIFEXITED(server_sts) || WEXITSTATUS(server_sts) != 0) {
		fprintf(stderr, "client_server: client status 0x%x, server status 0x%x\n",
			client_sts, server_sts);
		exit(EXIT_FAILURE);
	}
	printf("client_server: OK\n");
	return 0;
}
