/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - what the command-line tools share: reading an integer option.
 * Each tool keeps its own wording of the error, so the message is a
 * format the tool passes in.
 */
#ifndef DVK_TOOLS_CLI_H
#define DVK_TOOLS_CLI_H

/*
 * The integer @s in @base (0: C prefixes) if it is whole and within
 * min..max; otherwise prints @fmt to stderr and exits with status 2.
 * @fmt takes, in this order, @name (%s), @min and @max (%ld) and @s (%s);
 * positional conversions (%1$s) let a message name them in another order.
 */
long cli_long(const char *fmt, const char *name, const char *s, int base, long min, long max);

#endif /* DVK_TOOLS_CLI_H */
