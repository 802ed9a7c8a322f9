// SPDX-License-Identifier: GPL-2.0
/*
 * test_dvs.c - in-guest tests of /dev/dvk, the dispatcher and the DVS calls
 * (dvs_init, dvs_end, getdvsinfo) and /proc/dvs/info.
 *
 * Runs as root with dvk.ko freshly loaded and the DVS not initialised; leaves
 * it not initialised.  Output protocol: tests/check.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "dvk_params.h"

static dvs_usr_t good_params(void)
{
	return dvk_dvs_params("TEST_CLUSTER");
}

/* Read /proc/dvs/info's value of key into out; 0 on success. */
static int proc_info(const char *key, char *out, size_t len)
{
	char line[256];
	size_t kl = strlen(key);
	FILE *f = fopen("/proc/dvs/info", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && line[kl] == '=') {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line + kl + 1);
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static void test_before_init(void)
{
	dvs_usr_t d;

	CHECK_RC("getdvsinfo before dvs_init reports EDVSDVSINIT", dvk_getdvsinfo(&d), EDVSDVSINIT);
	CHECK_RC("dvs_end before dvs_init reports EDVSDVSINIT", dvk_dvs_end(), EDVSDVSINIT);
	CHECK("/proc/dvs absent before dvs_init", access("/proc/dvs", F_OK) != 0,
	      "/proc/dvs exists");
}

struct bad_case {
	const char *name;
	void (*mutate)(dvs_usr_t *d, int *nodeid);
	long want;
};

#define BAD(field, value, err)							\
	static void bad_##field##_##err(dvs_usr_t *d, int *n)			\
	{ (void)n; d->field = (value); }
BAD(d_nr_dcs, 0, EDVSBADRANGE)
BAD(d_nr_nodes, 0, EDVSBADRANGE)
BAD(d_nr_procs, 0, EDVSBADRANGE)
BAD(d_nr_tasks, 0, EDVSBADRANGE)
BAD(d_nr_sysprocs, 0, EDVSBADRANGE)
BAD(d_max_copybuf, 0, EDVSBADVALUE)
BAD(d_max_copylen, 0, EDVSBADVALUE)
static void dcs_big(dvs_usr_t *d, int *n) { (void)n; d->d_nr_dcs = NR_DCS + 1; }
static void nodes_big(dvs_usr_t *d, int *n) { (void)n; d->d_nr_nodes = NR_NODES + 1; }
static void procs_big(dvs_usr_t *d, int *n) { (void)n; d->d_nr_procs = NR_PROCS + 1; }
static void tasks_big(dvs_usr_t *d, int *n) { (void)n; d->d_nr_tasks = NR_TASKS + 1; }
static void sysprocs_big(dvs_usr_t *d, int *n) { (void)n; d->d_nr_sysprocs = NR_SYS_PROCS + 1; }
static void sysprocs_le_tasks(dvs_usr_t *d, int *n) { (void)n; d->d_nr_sysprocs = d->d_nr_tasks; }
static void sysprocs_ge_all(dvs_usr_t *d, int *n)
{
	(void)n;
	d->d_nr_procs = 20;
	d->d_nr_tasks = 10;
	d->d_nr_sysprocs = 30;	/* must be < procs + tasks */
}
static void negative_dcs(dvs_usr_t *d, int *n) { (void)n; d->d_nr_dcs = -1; }
static void copybuf_big(dvs_usr_t *d, int *n) { (void)n; d->d_max_copybuf = MAXCOPYBUF + 1; }
static void copylen_big(dvs_usr_t *d, int *n) { (void)n; d->d_max_copylen = MAXCOPYLEN + 1; }
static void copylen_small(dvs_usr_t *d, int *n)
{
	(void)n;
	d->d_max_copybuf = 4096;
	d->d_max_copylen = 4095;
}
static void name_unterminated(dvs_usr_t *d, int *n)
{
	(void)n;
	memset(d->d_name, 'x', sizeof(d->d_name));
}
static void node_negative(dvs_usr_t *d, int *n) { (void)d; *n = -1; }
static void node_32(dvs_usr_t *d, int *n) { (void)d; *n = NR_NODES; }
static void node_beyond_nodes(dvs_usr_t *d, int *n) { d->d_nr_nodes = 4; *n = 4; }

static const struct bad_case bad_cases[] = {
	{ "dvs_init nr_dcs=0 gives EDVSBADRANGE", bad_d_nr_dcs_EDVSBADRANGE, EDVSBADRANGE },
	{ "dvs_init nr_dcs=33 gives EDVSBADRANGE", dcs_big, EDVSBADRANGE },
	{ "dvs_init nr_dcs=-1 gives EDVSBADRANGE", negative_dcs, EDVSBADRANGE },
	{ "dvs_init nr_nodes=0 gives EDVSBADRANGE", bad_d_nr_nodes_EDVSBADRANGE, EDVSBADRANGE },
	{ "dvs_init nr_nodes=33 gives EDVSBADRANGE", nodes_big, EDVSBADRANGE },
	{ "dvs_init nr_procs=0 gives EDVSBADRANGE", bad_d_nr_procs_EDVSBADRANGE, EDVSBADRANGE },
	{ "dvs_init nr_procs=222 gives EDVSBADRANGE", procs_big, EDVSBADRANGE },
	{ "dvs_init nr_tasks=0 gives EDVSBADRANGE", bad_d_nr_tasks_EDVSBADRANGE, EDVSBADRANGE },
	{ "dvs_init nr_tasks=36 gives EDVSBADRANGE", tasks_big, EDVSBADRANGE },
	{ "dvs_init nr_sysprocs=0 gives EDVSBADRANGE", bad_d_nr_sysprocs_EDVSBADRANGE, EDVSBADRANGE },
	{ "dvs_init nr_sysprocs=65 gives EDVSBADRANGE", sysprocs_big, EDVSBADRANGE },
	{ "dvs_init nr_sysprocs<=nr_tasks gives EDVSBADRANGE", sysprocs_le_tasks, EDVSBADRANGE },
	{ "dvs_init nr_sysprocs>=procs+tasks gives EDVSBADRANGE", sysprocs_ge_all, EDVSBADRANGE },
	{ "dvs_init copybuf=0 gives EDVSBADVALUE", bad_d_max_copybuf_EDVSBADVALUE, EDVSBADVALUE },
	{ "dvs_init copybuf=65537 gives EDVSBADVALUE", copybuf_big, EDVSBADVALUE },
	{ "dvs_init copylen=0 gives EDVSBADVALUE", bad_d_max_copylen_EDVSBADVALUE, EDVSBADVALUE },
	{ "dvs_init copylen>1MiB gives EDVSBADVALUE", copylen_big, EDVSBADVALUE },
	{ "dvs_init copylen<copybuf gives EDVSBADVALUE", copylen_small, EDVSBADVALUE },
	{ "dvs_init unterminated name gives EDVSNAMESIZE", name_unterminated, EDVSNAMESIZE },
	{ "dvs_init nodeid=-1 gives EDVSBADNODEID", node_negative, EDVSBADNODEID },
	{ "dvs_init nodeid=32 gives EDVSBADNODEID", node_32, EDVSBADNODEID },
	{ "dvs_init nodeid>=nr_nodes gives EDVSBADNODEID", node_beyond_nodes, EDVSBADNODEID },
};

static void test_bad_params(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		dvs_usr_t d = good_params();
		int nodeid = 0;

		bad_cases[i].mutate(&d, &nodeid);
		CHECK_RC(bad_cases[i].name, dvk_dvs_init(nodeid, &d), bad_cases[i].want);
	}
	CHECK_RC("dvs_init with unmapped parameter pointer gives EDVSFAULT",
		 dvk_ipc(DVK_DVSINIT, 0, 0, 0, 0x10, 0), EDVSFAULT);
	CHECK_RC("dvs_init with kernel-space pointer gives EDVSFAULT",
		 dvk_ipc(DVK_DVSINIT, 0, 0, 0, 0xffffffff81000000ULL, 0), EDVSFAULT);
	CHECK("failed dvs_init leaves the DVS uninitialised", access("/proc/dvs", F_OK) != 0,
	      "/proc/dvs exists");
}

static void test_init_info(void)
{
	dvs_usr_t d = good_params(), got;
	char v[64];
	long rc;

	d.d_nr_nodes = 8;
	d.d_nr_procs = 100;
	d.d_nr_tasks = 20;
	d.d_nr_sysprocs = 40;
	d.d_max_copybuf = 8192;
	d.d_max_copylen = 65536;
	d.d_dbglvl = 0xABCDEF;
	d.d_flags = 0xFFFF;		/* only IPC|IOCTL|USERMODE may survive */
	d.d_version = 7;		/* forced by the kernel */
	rc = dvk_dvs_init(3, &d);
	CHECK_RC("dvs_init returns the node id", rc, 3);
	CHECK_RC("second dvs_init gives EDVSDVSBUSY", dvk_dvs_init(3, &d), EDVSDVSBUSY);
	CHECK_RC("dvs_init(NULL) while initialised gives EDVSDVSBUSY",
		 dvk_dvs_init(0, NULL), EDVSDVSBUSY);

	memset(&got, 0x5a, sizeof(got));
	rc = dvk_getdvsinfo(&got);
	CHECK_RC("getdvsinfo returns the node id", rc, 3);
	CHECK("getdvsinfo returns the parameters given",
	      !strcmp(got.d_name, "TEST_CLUSTER") && got.d_nr_dcs == NR_DCS &&
	      got.d_nr_nodes == 8 && got.d_nr_procs == 100 && got.d_nr_tasks == 20 &&
	      got.d_nr_sysprocs == 40 && got.d_max_copybuf == 8192 &&
	      got.d_max_copylen == 65536 && got.d_dbglvl == 0xABCDEF,
	      "name=%s dcs=%d nodes=%d procs=%d tasks=%d sys=%d buf=%d len=%d dbg=%llx",
	      got.d_name, got.d_nr_dcs, got.d_nr_nodes, got.d_nr_procs, got.d_nr_tasks,
	      got.d_nr_sysprocs, got.d_max_copybuf, got.d_max_copylen,
	      (unsigned long long)got.d_dbglvl);
	CHECK("getdvsinfo forces version and flags",
	      got.d_version == DVS_VERSION &&
	      got.d_flags == (DVK_IPC | DVK_IOCTL | DVK_USERMODE | DVS_INITIALIZED),
	      "version=%d flags=%llx", got.d_version, (unsigned long long)got.d_flags);
	CHECK("getdvsinfo size_proc is a power of two >= 64",
	      got.d_size_proc >= 64 && !(got.d_size_proc & (got.d_size_proc - 1)),
	      "d_size_proc=%d", got.d_size_proc);
	CHECK("getdvsinfo zeroes padding", got.d_pad0 == 0, "d_pad0=%d", got.d_pad0);

	CHECK("/proc/dvs/info nodeid", !proc_info("nodeid", v, sizeof(v)) && !strcmp(v, "3"),
	      "nodeid=%s", v);
	CHECK("/proc/dvs/info name", !proc_info("name", v, sizeof(v)) &&
	      !strcmp(v, "TEST_CLUSTER"), "name=%s", v);
	CHECK("/proc/dvs/info nr_nodes", !proc_info("nr_nodes", v, sizeof(v)) && !strcmp(v, "8"),
	      "nr_nodes=%s", v);
	CHECK("/proc/dvs/info max_copy_buf", !proc_info("max_copy_buf", v, sizeof(v)) &&
	      !strcmp(v, "8192"), "max_copy_buf=%s", v);
	CHECK("/proc/dvs/info dbglvl in hex", !proc_info("dbglvl", v, sizeof(v)) &&
	      !strcmp(v, "ABCDEF"), "dbglvl=%s", v);
	CHECK("/proc/dvs/info version", !proc_info("version", v, sizeof(v)) &&
	      atoi(v) == DVS_VERSION, "version=%s", v);
	CHECK("/proc/dvs/info flags in hex", !proc_info("flags", v, sizeof(v)) &&
	      !strcmp(v, "107"), "flags=%s", v);
	CHECK("/proc/dvs/info has sizeof(proc) aligned",
	      !proc_info("sizeof(proc) aligned", v, sizeof(v)) && atoi(v) == got.d_size_proc,
	      "aligned=%s", v);

	CHECK_RC("getdvsinfo to an unmapped pointer gives EDVSFAULT",
		 dvk_ipc(DVK_GETDVSINFO, 0, 0, 0, 0x10, 0), EDVSFAULT);
	CHECK_RC("getdvsinfo to NULL gives EDVSFAULT",
		 dvk_ipc(DVK_GETDVSINFO, 0, 0, 0, 0, 0), EDVSFAULT);
	{
		/* a read-only page: copy_to_user must fail cleanly */
		void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		CHECK_RC("getdvsinfo to a read-only page gives EDVSFAULT",
			 dvk_getdvsinfo(ro), EDVSFAULT);
		munmap(ro, 4096);
	}

	CHECK_RC("dvs_end succeeds", dvk_dvs_end(), OK);
	CHECK("/proc/dvs removed by dvs_end", access("/proc/dvs", F_OK) != 0, "still there");
	CHECK_RC("getdvsinfo after dvs_end gives EDVSDVSINIT", dvk_getdvsinfo(&got), EDVSDVSINIT);
	CHECK_RC("second dvs_end gives EDVSDVSINIT", dvk_dvs_end(), EDVSDVSINIT);

	/* re-init: NULL keeps the current (last) parameters */
	CHECK_RC("re-init after dvs_end with NULL params", dvk_dvs_init(5, NULL), 5);
	rc = dvk_getdvsinfo(&got);
	CHECK("re-init with NULL keeps the last parameters",
	      rc == 5 && got.d_nr_nodes == 8 && !strcmp(got.d_name, "TEST_CLUSTER"),
	      "rc=%ld nodes=%d name=%s", rc, got.d_nr_nodes, got.d_name);
	CHECK_RC("dvs_end after re-init", dvk_dvs_end(), OK);
	d = good_params();
	d.d_name[0] = 0;
	CHECK_RC("init with an empty name", dvk_dvs_init(31, &d), 31);
	rc = dvk_getdvsinfo(&got);
	CHECK("empty name becomes DVS_IPC", !strcmp(got.d_name, "DVS_IPC"), "name=%s", got.d_name);
	CHECK_RC("dvs_end after empty-name init", dvk_dvs_end(), OK);
}

/* Unknown and malformed call words: EDVSNOSYS, nothing else. */
static void test_call_words(void)
{
	static const struct { const char *name; uint32_t word; } words[] = {
		{ "call nr 35 gives EDVSNOSYS", DVK_CALL_WORD(35) },
		{ "call nr 36 gives EDVSNOSYS", DVK_CALL_WORD(36) },
		{ "call nr 255 gives EDVSNOSYS", DVK_CALL_WORD(255) },
		{ "call word with low byte set gives EDVSNOSYS", DVK_CALL_WORD(DVK_GETDVSINFO) | 1 },
		{ "call word with low byte 0xff gives EDVSNOSYS", DVK_CALL_WORD(DVK_DVSINIT) | 0xff },
		{ "call word version 2 gives EDVSNOSYS", (2u << 16) | (DVK_GETDVSINFO << 8) },
		{ "call word version 0xffff gives EDVSNOSYS", 0xffff0000u | (DVK_DVSEND << 8) },
		{ "void0 gives EDVSNOSYS", DVK_CALL_WORD(DVK_VOID0) },
		{ "call word 0 gives EDVSNOSYS", 0 },
		{ "call word 0xffffffff gives EDVSNOSYS", 0xffffffffu },
	};
	dvs_usr_t d;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		CHECK_RC(words[i].name, dvk_ipc_word(words[i].word, 0, 0, 0, TPTR(&d), 0),
			 EDVSNOSYS);
	/* version 0 (as the SysV ipc() multiplexer passes it) is accepted */
	CHECK_RC("call word without version is accepted",
		 dvk_ipc_word(DVK_GETDVSINFO << 8, 0, 0, 0, TPTR(&d), 0), EDVSDVSINIT);

	/* every number of the table answers; no call crashes on zero args */
	for (int nr = 0; nr < DVK_NR_CALLS; nr++) {
		char name[64];
		long rc = dvk_ipc(nr, 0, 0, 0, 0, 0);

		snprintf(name, sizeof(name), "call %d (%s) answers with a DVK code", nr,
			 dvk_callname(nr));
		CHECK(name, rc == 0 || (rc < 0 && dvk_errname((int)rc) != NULL),
		      "rc=%ld %s", rc, dvk_strerror((int)rc));
	}
}

/* The ioctl itself: bad argument block, unknown command. */
static void test_ioctl(void)
{
	int fd = open(DVK_DEVICE, O_RDWR);
	struct stat st;
	long rc;

	CHECK("/dev/dvk is a character device usable by everyone",
	      !stat(DVK_DEVICE, &st) && S_ISCHR(st.st_mode) && (st.st_mode & 0666) == 0666,
	      "mode=%o", st.st_mode);
	errno = 0;
	rc = ioctl(fd, DVK_IOC_IPC, NULL);
	CHECK("ioctl with NULL argument block gives EDVSFAULT", rc == -1 && errno == -EDVSFAULT,
	      "rc=%ld errno=%d", rc, errno);
	errno = 0;
	rc = ioctl(fd, DVK_IOC_IPC, (void *)0xdead000000000000ULL);
	CHECK("ioctl with non-canonical argument block gives EDVSFAULT",
	      rc == -1 && errno == -EDVSFAULT, "rc=%ld errno=%d", rc, errno);
	errno = 0;
	rc = ioctl(fd, _IOW(DVK_IOC_MAGIC, 1, struct dvk_ipc_args), NULL);
	CHECK("unknown ioctl command gives ENOTTY", rc == -1 && errno == ENOTTY,
	      "rc=%ld errno=%d", rc, errno);
	close(fd);
}

/* A process without CAP_SYS_ADMIN is refused by the privileged calls. */
static void test_unprivileged(void)
{
	int pipefd[2], status = -1;
	long res[4] = { 1, 1, 1, 1 };
	pid_t pid;

	if (pipe(pipefd))
		return;
	pid = fork();
	if (pid == 0) {
		dvs_usr_t d = good_params();
		long r[4];

		close(pipefd[0]);
		dvk_close();
		if (setgid(65534) || setuid(65534))	/* nobody: no capabilities */
			_exit(3);
		r[0] = dvk_open() >= 0 ? 0 : -1;
		r[1] = dvk_dvs_init(0, &d);
		r[2] = dvk_getdvsinfo(&d);
		r[3] = dvk_dvs_end();
		if (write(pipefd[1], r, sizeof(r)) != sizeof(r))
			_exit(4);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], res, sizeof(res)) != sizeof(res))
		res[0] = -99;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	CHECK("unprivileged process can open /dev/dvk", res[0] == 0 && status == 0,
	      "open=%ld status=%d", res[0], status);
	CHECK_RC("unprivileged dvs_init gives EDVSPRIVILEGES", res[1], EDVSPRIVILEGES);
	CHECK_RC("unprivileged getdvsinfo gives EDVSPRIVILEGES", res[2], EDVSPRIVILEGES);
	CHECK_RC("unprivileged dvs_end gives EDVSPRIVILEGES", res[3], EDVSPRIVILEGES);
	CHECK("unprivileged dvs_init did not initialise", access("/proc/dvs", F_OK) != 0,
	      "/proc/dvs exists");
}

/*
 * Concurrency: readers of getdvsinfo and /proc/dvs/info race init/end
 * cycles.  Each reader must see either EDVSDVSINIT or a complete, consistent
 * parameter set; the kernel log is checked by the runner afterwards.
 */
static volatile int stop_race;
static int race_bad;

static void *race_reader(void *arg)
{
	dvs_usr_t d;
	char buf[1024];

	(void)arg;
	while (!stop_race) {
		long rc = dvk_getdvsinfo(&d);

		if (rc >= 0 && (d.d_nr_nodes != 16 || strcmp(d.d_name, "RACE")))
			__atomic_add_fetch(&race_bad, 1, __ATOMIC_RELAXED);
		else if (rc < 0 && rc != EDVSDVSINIT)
			__atomic_add_fetch(&race_bad, 1, __ATOMIC_RELAXED);
		int fd = open("/proc/dvs/info", O_RDONLY);

		if (fd >= 0) {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
	}
	return NULL;
}

static void test_race(void)
{
	pthread_t th[4];
	dvs_usr_t d = good_params();
	int cycles = 0, errs = 0;

	strcpy(d.d_name, "RACE");
	d.d_nr_nodes = 16;
	stop_race = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, race_reader, NULL);
	for (int i = 0; i < 300; i++) {
		if (dvk_dvs_init(i % 16, &d) != i % 16)
			errs++;
		if (dvk_dvs_end() != OK)
			errs++;
		cycles++;
	}
	stop_race = 1;
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK("300 init/end cycles with 4 concurrent readers", errs == 0 && race_bad == 0,
	      "%d init/end errors, %d inconsistent reads in %d cycles", errs, race_bad, cycles);
}

int main(void)
{
	long fd = dvk_open();

	CHECK("open /dev/dvk", fd >= 0, "%s", dvk_strerror((int)fd));
	if (fd < 0)
		return CHECK_EXIT();
	test_before_init();
	test_bad_params();
	test_init_info();
	test_call_words();
	test_ioctl();
	test_unprivileged();
	test_race();
	return CHECK_EXIT();
}
