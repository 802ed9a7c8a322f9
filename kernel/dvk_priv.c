// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_priv.c - getpriv/setpriv: the privileges of a bound endpoint.
 *
 * setpriv may change priv_warn, priv_level, priv_ipc_to and
 * priv_dvk_allowed; priv_id, priv_trap_mask and priv_ipc_from are the
 * kernel's.  Decision: priv_warn may also be NONE (warn nobody), the value
 * bind gives, so that a getpriv/setpriv round trip never fails.
 * The bitmaps are enforced by the IPC calls (dvk_ipc_caller, dvk_ipc_peer;
 * docs/original-dvk.md#checks-shared-by-the-ipc-calls).
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include "dvk_bind.h"

/*
 * Find the bound slot (dcid, ep) under dvk_dvs.lock; on success returns OK
 * with *pp set (fields still need the DC lock).
 */
static long priv_slot(int dcid, int ep, struct dvk_proc **pp)
{
	struct dvk_dc *dc;
	int p_nr = _ENDPOINT_P(ep);
	long ret = dvk_dc_resolve_ctllocked(dcid, false, &dc);

	if (ret)
		return ret;
	if (!dc)
		return EDVSDCNOTRUN;
	if (ep < -dc->usr.dc_nr_tasks || !dvk_pnr_valid(dc, p_nr))
		return EDVSBADPROC;
	*pp = dvk_slot(dc, p_nr);
	return OK;
}

/**
 * dvk_getpriv - getpriv(dcid, endpoint, priv_usr *).
 * @args: first = dcid, second = endpoint, ptr = where to copy.
 *
 * Return: OK, EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSBADPROC, EDVSDSTDIED (free slot) or EDVSFAULT.
 */
long dvk_getpriv(const struct dvk_ipc_args *args)
{
	struct dvk_proc *p;
	struct priv_usr u;
	bool bound;
	long ret;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = priv_slot(args->first, (int)args->second, &p);
	if (ret)
		goto out;
	spin_lock(&p->dc->lock);
	bound = dvk_slot_bound(p);
	u = p->priv;
	spin_unlock(&p->dc->lock);
	if (!bound)
		ret = EDVSDSTDIED;
	else if (copy_to_user(u64_to_user_ptr(args->ptr), &u, sizeof(u)))
		ret = EDVSFAULT;
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_setpriv - setpriv(dcid, endpoint, priv_usr *).
 * @args: first = dcid, second = endpoint, ptr = the new privileges.
 *
 * Return: OK, EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSBADPROC (endpoint, or priv_warn outside [-nr_tasks, nr_sysprocs)
 * and not NONE), EDVSBADVALUE (priv_level > PROXY_PRIV), EDVSDSTDIED,
 * EDVSFAULT.
 */
long dvk_setpriv(const struct dvk_ipc_args *args)
{
	struct dvk_proc *p;
	struct priv_usr u;
	struct dvk_dc *dc;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (copy_from_user(&u, u64_to_user_ptr(args->ptr), sizeof(u)))
		return EDVSFAULT;
	if (dvk_ctl_lock())
		return -EINTR;
	ret = priv_slot(args->first, (int)args->second, &p);
	if (ret)
		goto out;
	dc = p->dc;
	if (u.priv_warn != NONE &&
	    (u.priv_warn < -dc->usr.dc_nr_tasks || u.priv_warn >= dc->usr.dc_nr_sysprocs)) {
		ret = EDVSBADPROC;
		goto out;
	}
	if (u.priv_level < USER_PRIV || u.priv_level > PROXY_PRIV) {
		ret = EDVSBADVALUE;
		goto out;
	}
	spin_lock(&dc->lock);
	if (!dvk_slot_bound(p)) {
		ret = EDVSDSTDIED;
	} else {
		p->priv.priv_warn = u.priv_warn;
		p->priv.priv_level = u.priv_level;
		p->priv.priv_ipc_to = u.priv_ipc_to;
		p->priv.priv_dvk_allowed = u.priv_dvk_allowed;
	}
	spin_unlock(&dc->lock);
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}
