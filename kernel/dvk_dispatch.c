// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_dispatch.c - decodes an ipc() call word and runs the call's handler.
 *
 * The table is indexed by call number (0..DVK_NR_CALLS-1, see DVK_CALL_LIST
 * in dvk.h), independent of the entry point (/dev/dvk's ioctl) that fills
 * the argument block.  Handlers are plain C functions taking that block,
 * so no calling convention (asmlinkage) can shuffle the arguments.
 *
 * Call word: (version << 16) | (nr << 8).  Version 0 or DVKIPC_VERSION is
 * accepted (the SysV ipc() entry strips the version before dispatching);
 * a non-zero low byte, another version, nr >= DVK_NR_CALLS or a call
 * without a handler all return EDVSNOSYS.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include "dvk_bind.h"
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

#define _DVK_CALL_NAME(nr, name) [nr] = #name,
static const char *const dvk_call_names[DVK_NR_CALLS] = {
	DVK_CALL_LIST(_DVK_CALL_NAME)
};

static const dvk_call_fn dvk_handlers[DVK_NR_CALLS] = {
	[DVK_DC_INIT]		= dvk_dc_init,
	[DVK_SEND]		= dvk_send,
	[DVK_RECEIVE]		= dvk_receive,
	[DVK_NOTIFY]		= dvk_notify,
	[DVK_SENDREC]		= dvk_sendrec,
	[DVK_RCVRQST]		= dvk_rcvrqst,
	[DVK_REPLY]		= dvk_reply,
	[DVK_DC_END]		= dvk_dc_end,
	[DVK_BIND]		= dvk_bind,
	[DVK_UNBIND]		= dvk_unbind,
	[DVK_GETDCINFO]		= dvk_getdcinfo,
	[DVK_GETPROCINFO]	= dvk_getprocinfo,
	[DVK_GETEP]		= dvk_getep,
	[DVK_WAIT4BIND]		= dvk_wait4bind,
	[DVK_GETPRIV]		= dvk_getpriv,
	[DVK_SETPRIV]		= dvk_setpriv,
	[DVK_VCOPY]		= dvk_vcopy,
	[DVK_RELAY]		= dvk_relay,
	[DVK_WAKEUPEP]		= dvk_wakeup,
	[DVK_PROXYBIND]		= dvk_proxies_bind,
	[DVK_GET2RMT]		= dvk_get2rmt,
	[DVK_MIGRATE]		= dvk_migrate,
	[DVK_PUT2LCL]		= dvk_put2lcl,
	[DVK_PROXYUNBIND]	= dvk_proxies_unbind,
	[DVK_PROXYCONN]		= dvk_proxy_conn,
	[DVK_GETPROXYINFO]	= dvk_getproxyinfo,
	[DVK_GETNODEINFO]	= dvk_getnodeinfo,
	[DVK_NODEUP]		= dvk_node_up,
	[DVK_NODEDOWN]		= dvk_node_down,
	[DVK_ADDNODE]		= dvk_add_node,
	[DVK_DELNODE]		= dvk_del_node,
	[DVK_DVSINIT]		= dvk_dvs_init,
	[DVK_DVSEND]		= dvk_dvs_end,
	[DVK_GETDVSINFO]	= dvk_getdvsinfo,
};

const char *dvk_call_name(int nr)
{
	if (nr < 0 || nr >= DVK_NR_CALLS)
		return "invalid";
	return dvk_call_names[nr];
}

/* Returns the call number of a well-formed call word, or -1. */
static int dvk_decode_word(u32 word)
{
	u32 version = DVK_CALL_VERSION(word);

	if (word & 0xff)
		return -1;
	if (version != 0 && version != DVKIPC_VERSION)
		return -1;
	return DVK_CALL_NR(word);
}

/**
 * dvk_dispatch - run one DVK call.
 * @args: the six ipc() arguments, in kernel memory.
 *
 * Emits dvk_call_enter before and dvk_call_exit after the handler; the clock
 * is read only when dvk_call_exit is enabled, so untraced calls pay nothing.
 *
 * Return: the handler's result (EDVS code when negative).
 */
long dvk_dispatch(const struct dvk_ipc_args *args)
{
	int nr = dvk_decode_word(args->call);
	u64 t0 = 0;
	long ret;

	trace_dvk_call_enter(nr, args);
	/*
	 * local_clock() (the scheduler's TSC clock) and not ktime_get_ns():
	 * cheap everywhere, while ktime on an emulated HPET costs microseconds
	 * per read (docs/performance.md).  A call that sleeps may end on
	 * another CPU, whose clock may be a hair behind: clamp at 0.
	 */
	if (trace_dvk_call_exit_enabled())
		t0 = local_clock();

	if (nr >= 0 && nr < DVK_NR_CALLS && dvk_handlers[nr])
		ret = dvk_handlers[nr](args);
	else
		ret = EDVSNOSYS;

	trace_dvk_call_exit(nr, ret, t0 ? dvk_clock_since(t0) : 0);
	return ret;
}
