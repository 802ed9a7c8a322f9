// SPDX-License-Identifier: GPL-2.0
/*
 * priv_info.c - an original-style program: bind to <p_nr> of <dcid>, print
 * the descriptor and the privileges with the original macros, walking the
 * bitmaps chunk by chunk with get_sys_bit.  A system slot must have every
 * call and every ipc_to bit; then one call (notify) and one ipc_to bit are
 * taken away with unset_sys_bit + setpriv, read back, the call refused
 * (EDVSBADCALL), and both given back with set_sys_bit.  A user slot must
 * have exactly sendrec, unbind, getep and wait4bind.
 * Usage: priv_info <dcid> <p_nr>
 */
#include "tests.h"

static void print_maps(priv_usr_t *priv)
{
	int i, j, index;

	printf("ipc_to chunks:");
	for (i = 0; i < NR_SYS_CHUNKS; i++)
		printf(" %04X", priv->priv_ipc_to.chunk[i]);
	printf("\ndvk_allowed:");
	for (i = 0, index = 0; i < NR_DVK_CHUNKS; i++)
		for (j = 0; j < BITCHUNK_BITS; j++, index++)
			if (index < NR_DVK_CALLS && get_sys_bit(priv->priv_dvk_allowed, index))
				printf(" %d", index);
	printf("\n");
}

static void get_priv(int dcid, int p_nr, priv_usr_t *priv)
{
	int ret;

	memset(priv, 0, sizeof(priv_usr_t));
	ret = dvk_getpriv(dcid, p_nr, priv);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf(PRIV_USR_FORMAT, PRIV_USR_FIELDS(priv));
	print_maps(priv);
}

static void set_priv(int dcid, int p_nr, priv_usr_t *priv)
{
	int ret = dvk_setpriv(dcid, p_nr, priv);

	if (ret < 0)
		ERROR_EXIT(ret);
}

static int all_set(priv_usr_t *priv, int skip_call, int skip_slot)
{
	int i;

	for (i = 0; i < NR_DVK_CALLS; i++)
		if ((get_sys_bit(priv->priv_dvk_allowed, i) != 0) == (i == skip_call))
			return FALSE;
	for (i = 0; i < NR_SYS_PROCS; i++)
		if ((get_sys_bit(priv->priv_ipc_to, i) != 0) == (i == skip_slot))
			return FALSE;
	return TRUE;
}

int main(int argc, char *argv[])
{
	proc_usr_t proc, *proc_ptr = &proc;
	priv_usr_t priv, *priv_ptr = &priv;
	int dcid, p_nr, ret, i;

	if (argc != 3) {
		fprintf(stderr, "Usage: %s <dcid> <p_nr>\n", argv[0]);
		exit(EXIT_FAILURE);
	}
	dcid = atoi(argv[1]);
	p_nr = atoi(argv[2]);

	ret = dvk_open();
	if (ret < 0)
		ERROR_EXIT(ret);
	ret = dvk_bind(dcid, p_nr);
	if (ret < EDVSERRCODE || ret != p_nr)
		ERROR_EXIT(ret);
	ret = dvk_getprocinfo(dcid, p_nr, proc_ptr);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf(PROC_USR_FORMAT, PROC_USR_FIELDS(proc_ptr));
	printf(PROC_CPU_FORMAT, PROC_CPU_FIELDS(proc_ptr));
	printf("sizeof(priv_usr_t)=%d\n", (int)sizeof(priv_usr_t));

	get_priv(dcid, p_nr, priv_ptr);
	if (p_nr + NR_TASKS >= NR_SYS_PROCS) {		/* a user slot */
		for (i = 0; i < NR_DVK_CALLS; i++) {
			int want = i == DVK_SENDREC || i == DVK_UNBIND || i == DVK_GETEP ||
				   i == DVK_WAIT4BIND;

			if ((get_sys_bit(priv.priv_dvk_allowed, i) != 0) != want)
				ERROR_EXIT(EDVSPRIVILEGES);
		}
		if (priv.priv_level != USER_PRIV)
			ERROR_EXIT(EDVSPRIVILEGES);
		printf("priv_info: user slot OK\n");
		return 0;
	}

	if (priv.priv_level != SERVER_PRIV || priv.priv_id != p_nr + NR_TASKS ||
	    !all_set(priv_ptr, -1, -1))
		ERROR_EXIT(EDVSPRIVILEGES);

	/* take notify and the ipc_to bit of slot 3 away */
	unset_sys_bit(priv.priv_dvk_allowed, DVK_NOTIFY);
	unset_sys_bit(priv.priv_ipc_to, 3);
	set_priv(dcid, p_nr, priv_ptr);
	get_priv(dcid, p_nr, priv_ptr);
	if (!all_set(priv_ptr, DVK_NOTIFY, 3))
		ERROR_EXIT(EDVSPRIVILEGES);
	ret = dvk_notify(p_nr + 1);
	printf("notify without the call's bit: %d\n", ret);
	if (ret != EDVSBADCALL)
		ERROR_EXIT(ret);

	/* and give them back */
	set_sys_bit(priv.priv_dvk_allowed, DVK_NOTIFY);
	set_sys_bit(priv.priv_ipc_to, 3);
	set_priv(dcid, p_nr, priv_ptr);
	get_priv(dcid, p_nr, priv_ptr);
	if (!all_set(priv_ptr, -1, -1))
		ERROR_EXIT(EDVSPRIVILEGES);
	printf("priv_info: system slot OK\n");
	return 0;
}
