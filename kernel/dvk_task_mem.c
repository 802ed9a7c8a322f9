// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_task_mem.c - copy between another task's memory and a kernel buffer
 * or the caller's memory (vcopy's ends that are not the caller, the remote
 * side of a remote vcopy, get2rmt reading a requester's chunk).
 *
 * Like access_process_vm(), but the pages are looked up DVK_TASK_MEM_BATCH
 * at a time (one get_user_pages_remote() and one mmap_lock round per
 * batch) instead of one by one: vcopy moves up to 64 KiB per call, and a
 * page-by-page walk would be the largest cost of put2lcl in a cross-node
 * copy.  No FOLL_FORCE: a write to read-only memory fails.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/version.h>
#include "dvk_ipc.h"

#define DVK_TASK_MEM_BATCH	16	/* pages per lookup: 64 KiB, one vcopy chunk */

/* Pin up to @nr pages of @mm from @addr; the count, or <= 0. */
static long lookup_pages(struct mm_struct *mm, unsigned long addr, int nr, bool write,
			 struct page **pages)
{
	unsigned int flags = write ? FOLL_WRITE : 0;
	long got;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	got = get_user_pages_remote(mm, addr, nr, flags, pages, NULL);
#else
	got = get_user_pages_remote(mm, addr, nr, flags, pages, NULL, NULL);
#endif
	mmap_read_unlock(mm);
	return got;
}

/*
 * Copy @len bytes between @t's memory at @addr and a kernel buffer @kbuf,
 * or (@kbuf NULL) the caller's user memory at @ubuf.
 */
static long task_mem(struct task_struct *t, unsigned long addr, void *kbuf,
		     void __user *ubuf, size_t len, bool write)
{
	struct page *pages[DVK_TASK_MEM_BATCH];
	struct mm_struct *mm = get_task_mm(t);
	long ret = OK;

	if (!mm)
		return EDVSFAULT;
	while (len > 0 && ret == OK) {
		size_t off = offset_in_page(addr);
		int nr = min_t(size_t, DVK_TASK_MEM_BATCH, DIV_ROUND_UP(off + len, PAGE_SIZE));
		long got = lookup_pages(mm, addr, nr, write, pages);
		long i;

		if (got <= 0) {
			ret = EDVSFAULT;
			break;
		}
		for (i = 0; i < got; i++) {
			size_t n = min_t(size_t, PAGE_SIZE - off, len);
			char *k = kmap_local_page(pages[i]);

			if (ret == OK && kbuf && !write)
				memcpy(kbuf, k + off, n);
			else if (ret == OK && kbuf)
				memcpy(k + off, kbuf, n);
			else if (ret == OK && !write && copy_to_user(ubuf, k + off, n))
				ret = EDVSFAULT;
			else if (ret == OK && write && copy_from_user(k + off, ubuf, n))
				ret = EDVSFAULT;
			if (write) {
				flush_dcache_page(pages[i]);
				set_page_dirty_lock(pages[i]);
			}
			kunmap_local(k);
			put_page(pages[i]);
			if (kbuf)
				kbuf = (char *)kbuf + n;
			else
				ubuf = (char __user *)ubuf + n;
			addr += n;
			len -= n;
			off = 0;
		}
		cond_resched();
	}
	mmput(mm);
	return ret;
}

/**
 * dvk_task_rw - copy @len bytes between @buf and @t's memory at @addr.
 * @t:     the task (referenced by the caller)
 * @addr:  user address in @t
 * @buf:   kernel buffer
 * @len:   bytes
 * @write: true: @buf -> @t, false: @t -> @buf
 *
 * Process context; may sleep.  Return: OK, or EDVSFAULT when any byte of
 * the range is not accessible that way (or @t has no memory any more).
 */
long dvk_task_rw(struct task_struct *t, unsigned long addr, void *buf, size_t len, bool write)
{
	return task_mem(t, addr, buf, NULL, len, write);
}

/**
 * dvk_task_read_user - copy another task's memory into the caller's.
 * @t:    the task (referenced by the caller)
 * @addr: user address in @t
 * @dst:  user address in the caller
 * @len:  bytes
 *
 * get2rmt reads a requester's chunk straight into the sender proxy.
 * Process context; may sleep.  Return: OK or EDVSFAULT (either side).
 */
long dvk_task_read_user(struct task_struct *t, unsigned long addr, void __user *dst, size_t len)
{
	return task_mem(t, addr, NULL, dst, len, false);
}

/**
 * dvk_task_write_user - copy the caller's memory into another task's.
 * @t:    the task (referenced by the caller)
 * @addr: user address in @t
 * @src:  user address in the caller
 * @len:  bytes
 *
 * No bounce buffer: put2lcl writes the receiver proxy's payload straight
 * into the destination.
 * Process context; may sleep.  Return: OK or EDVSFAULT (either side).
 */
long dvk_task_write_user(struct task_struct *t, unsigned long addr, const void __user *src,
			 size_t len)
{
	return task_mem(t, addr, NULL, (void __user *)src, len, true);
}
