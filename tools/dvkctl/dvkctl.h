/* SPDX-License-Identifier: GPL-2.0 */
/* dvkctl.h - the subcommands of dvkctl that live in files of their own. */
#ifndef DVKCTL_H
#define DVKCTL_H

/* waits.c: dvkctl waits [-j] [-F] [FILE...]; 0, 3 (a cycle), 1 or 2 */
int dvkctl_waits(int argc, char **argv);

#endif /* DVKCTL_H */
