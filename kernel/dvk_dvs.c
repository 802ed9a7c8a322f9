// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_dvs.c - the DVS of this host: dvs_init, dvs_end, getdvsinfo.
 *
 * Locking: dvk_dvs.lock (mutex) serialises init/end; dvk_dvs.info_lock
 * (spinlock) guards dvk_dvs.usr for readers such as /proc/dvs/info, which
 * must never wait for the mutex (dvs_end holds it while removing /proc/dvs,
 * and proc removal waits for running readers).
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/cache.h>
#include <linux/log2.h>
#include "dvk_bind.h"
#include "dvk_remote.h"
#include "dvk_views.h"

struct dvk_dvs dvk_dvs = {
	.lock		= __MUTEX_INITIALIZER(dvk_dvs.lock),
	.info_lock	= __SPIN_LOCK_UNLOCKED(dvk_dvs.info_lock),
	.net_lock	= __SPIN_LOCK_UNLOCKED(dvk_dvs.net_lock),
	.local_nodeid	= ATOMIC_INIT(-1),
};

/* The original's compile-time defaults; dvs_init(nodeid, NULL) uses them. */
static void dvs_defaults(struct dvs_usr *u, unsigned long dbglvl)
{
	memset(u, 0, sizeof(*u));
	strscpy(u->d_name, DVS_DEFAULT_NAME, sizeof(u->d_name));
	u->d_nr_dcs = NR_DCS;
	u->d_nr_nodes = NR_NODES;
	u->d_nr_procs = NR_PROCS;
	u->d_nr_tasks = NR_TASKS;
	u->d_nr_sysprocs = NR_SYS_PROCS;
	u->d_max_copybuf = MAXCOPYBUF;
	u->d_max_copylen = MAXCOPYLEN;
	u->d_version = DVS_VERSION;
	u->d_size_proc = roundup_pow_of_two(L1_CACHE_ALIGN(sizeof(struct dvk_proc)));
	u->d_dbglvl = dbglvl;
	u->d_flags = DVK_IOCTL;
}

void dvk_dvs_setup(unsigned long dbglvl)
{
	dvs_defaults(&dvk_dvs.usr, dbglvl);
	dvk_rmt_setup();
}

/* Copy of the parameters, consistent, without sleeping. */
void dvk_dvs_snapshot(struct dvs_usr *out)
{
	spin_lock(&dvk_dvs.info_lock);
	*out = dvk_dvs.usr;
	spin_unlock(&dvk_dvs.info_lock);
}

static void dvs_publish(const struct dvs_usr *u)
{
	spin_lock(&dvk_dvs.info_lock);
	dvk_dvs.usr = *u;
	spin_unlock(&dvk_dvs.info_lock);
}

/*
 * Validate the parameters of dvs_init (docs/original-dvk.md#what-each-call-does).  Each bad value has
 * its own error: a name without NUL in 16 bytes EDVSNAMESIZE, counts out of
 * range EDVSBADRANGE, copy sizes EDVSBADVALUE.
 */
static int dvs_check_params(const struct dvs_usr *u)
{
	if (!memchr(u->d_name, '\0', sizeof(u->d_name)))
		return EDVSNAMESIZE;
	if (u->d_nr_dcs <= 0 || u->d_nr_dcs > NR_DCS)
		return EDVSBADRANGE;
	if (u->d_nr_nodes <= 0 || u->d_nr_nodes > NR_NODES)
		return EDVSBADRANGE;
	if (u->d_nr_procs <= 0 || u->d_nr_procs > NR_PROCS)
		return EDVSBADRANGE;
	if (u->d_nr_tasks <= 0 || u->d_nr_tasks > NR_TASKS)
		return EDVSBADRANGE;
	if (u->d_nr_sysprocs <= 0 || u->d_nr_sysprocs > NR_SYS_PROCS)
		return EDVSBADRANGE;
	if (u->d_nr_sysprocs <= u->d_nr_tasks ||
	    u->d_nr_sysprocs >= u->d_nr_procs + u->d_nr_tasks)
		return EDVSBADRANGE;
	if (u->d_max_copybuf <= 0 || u->d_max_copybuf > MAXCOPYBUF)
		return EDVSBADVALUE;
	if (u->d_max_copylen <= 0 || u->d_max_copylen > MAXCOPYLEN)
		return EDVSBADVALUE;
	if (u->d_max_copylen < u->d_max_copybuf)
		return EDVSBADVALUE;
	return OK;
}

/**
 * dvk_dvs_init - dvs_init(nodeid, dvs_usr *): make this host DVS node @nodeid.
 * @args: first = node id, ptr = parameters (0 = keep the current ones).
 *
 * Return: the local node id, or EDVSPRIVILEGES, EDVSDVSBUSY, EDVSFAULT,
 * EDVSNAMESIZE, EDVSBADRANGE, EDVSBADVALUE, EDVSBADNODEID, EDVSBADDIR.
 */
long dvk_dvs_init(const struct dvk_ipc_args *args)
{
	void __user *uptr = u64_to_user_ptr(args->ptr);
	int nodeid = args->first;
	struct dvs_usr u;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;

	if (dvk_ctl_lock())
		return -EINTR;
	if (dvs_initialized()) {
		ret = EDVSDVSBUSY;
		goto out;
	}
	if (uptr) {
		if (copy_from_user(&u, uptr, sizeof(u))) {
			ret = EDVSFAULT;
			goto out;
		}
		ret = dvs_check_params(&u);
		if (ret)
			goto out;
	} else {
		u = dvk_dvs.usr;	/* serialised by dvk_dvs.lock */
	}
	if (nodeid < 0 || nodeid >= u.d_nr_nodes) {
		ret = EDVSBADNODEID;
		goto out;
	}

	if (!u.d_name[0])
		strscpy(u.d_name, DVS_DEFAULT_NAME, sizeof(u.d_name));
	u.d_version = DVS_VERSION;
	u.d_size_proc = roundup_pow_of_two(L1_CACHE_ALIGN(sizeof(struct dvk_proc)));
	u.d_pad0 = 0;
	u.d_flags = (u.d_flags & DVS_USER_FLAGS) | DVK_IOCTL | DVS_INITIALIZED;
	dvs_publish(&u);

	ret = dvk_procfs_create();
	if (ret) {
		u.d_flags &= ~DVS_INITIALIZED;
		dvs_publish(&u);
		goto out;
	}
	dvk_nodes_reset(nodeid);
	atomic_set(&dvk_dvs.local_nodeid, nodeid);
	ret = nodeid;
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/* Tear the DVS down; called with dvk_dvs.lock held and the DVS initialised. */
static void dvs_end_ctllocked(void)
{
	struct dvs_usr u;

	dvk_dc_end_all_ctllocked();
	dvk_proxies_end_all_ctllocked();
	dvk_nodes_reset(-1);
	atomic_set(&dvk_dvs.local_nodeid, -1);
	wake_up_all(&dvk_bind_wq);	/* wait4bind(SELF) waiters: DVS gone */
	dvk_dvs_snapshot(&u);
	u.d_flags &= ~DVS_INITIALIZED;
	dvs_publish(&u);
	dvk_procfs_remove();
}

/**
 * dvk_dvs_end - dvs_end(): leave the DVS.
 * @args: unused.
 *
 * Return: OK, EDVSPRIVILEGES or EDVSDVSINIT.
 */
long dvk_dvs_end(const struct dvk_ipc_args *args)
{
	long ret = OK;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	if (dvs_initialized())
		dvs_end_ctllocked();
	else
		ret = EDVSDVSINIT;
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_getdvsinfo - getdvsinfo(dvs_usr *): the DVS parameters.
 * @args: ptr = where to copy struct dvs_usr.
 *
 * Return: the local node id, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSFAULT.
 */
long dvk_getdvsinfo(const struct dvk_ipc_args *args)
{
	void __user *uptr = u64_to_user_ptr(args->ptr);
	struct dvs_usr u;
	int nodeid;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	nodeid = atomic_read(&dvk_dvs.local_nodeid);
	if (nodeid < 0)
		return EDVSDVSINIT;
	dvk_dvs_snapshot(&u);
	if (copy_to_user(uptr, &u, sizeof(u)))
		return EDVSFAULT;
	return nodeid;
}

/* Module unload: end the DVS if a process left it initialised. */
void dvk_dvs_teardown(void)
{
	mutex_lock(&dvk_dvs.lock);
	if (dvs_initialized())
		dvs_end_ctllocked();
	mutex_unlock(&dvk_dvs.lock);
	dvk_rmt_teardown();	/* the last failing of freed pairs has run */
}
