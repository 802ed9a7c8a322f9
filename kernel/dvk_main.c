// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_main.c - module entry points and the /dev/dvk misc device.
 *
 * /dev/dvk has a single ioctl, DVK_IOC_IPC, whose argument is the six ipc()
 * arguments verbatim (struct dvk_ipc_args).  The device is world-usable:
 * every call checks its own privileges (CAP_SYS_ADMIN, DVK bindings).
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/compat.h>
#include "dvk_bind.h"
#include "dvk_views.h"

static unsigned long dbglvl;
module_param(dbglvl, ulong, 0444);
MODULE_PARM_DESC(dbglvl, "initial d_dbglvl (kept for ABI compatibility; use the dvk trace events)");

static long dvk_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dvk_ipc_args args;

	if (cmd != DVK_IOC_IPC)
		return -ENOTTY;
	if (copy_from_user(&args, (const void __user *)arg, sizeof(args)))
		return EDVSFAULT;
	return dvk_dispatch(&args);
}

static const struct file_operations dvk_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= dvk_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,	/* fixed-width ABI: same layout */
	.llseek		= noop_llseek,
};

static struct miscdevice dvk_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= DVK_MODNAME,
	.fops	= &dvk_fops,
	.mode	= 0666,
};

static int __init dvk_init(void)
{
	int err;

	dvk_dvs_setup(dbglvl);
	err = dvk_exit_hook_register();
	if (err)
		return err;
	err = misc_register(&dvk_misc);
	if (err) {
		pr_err("dvk: cannot register /dev/%s: %d\n", DVK_MODNAME, err);
		dvk_exit_hook_unregister();
		return err;
	}
	dvk_debugfs_create();
	pr_info("dvk: loaded, ABI version %d, /dev/%s ready\n", DVS_VERSION, DVK_MODNAME);
	return 0;
}

static void __exit dvk_exit(void)
{
	/* No ioctl can run now: an open /dev/dvk holds a module reference. */
	misc_deregister(&dvk_misc);
	dvk_debugfs_remove();
	dvk_dvs_teardown();		/* ends every DC: nothing stays bound */
	dvk_exit_hook_unregister();
	pr_info("dvk: unloaded\n");
}

module_init(dvk_init);
module_exit(dvk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Distributed Virtualization Kernel (DVK) IPC, observable");
MODULE_VERSION("202202");
