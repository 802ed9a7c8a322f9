// SPDX-License-Identifier: GPL-2.0
/*
 * test_usdt.c - every public libdvk call has its USDT probes (docs/probes.md):
 * reads the .note.stapsdt of build/lib/libdvk.so (and of the statically
 * linked build/bin/dvkbench) with libelf and checks that
 *   - each DVK call of DVK_CALL_LIST (void0 aside: only the raw dvk_ipc()
 *     reaches it) and the raw transport "ipc" has dvk:CALL__entry and
 *     dvk:CALL__return, both inside the function of the table below, the
 *     entry with that function's arguments, the return with one 8-byte
 *     signed value;
 *   - each function libdvk.so exports is in that table, or in the list of
 *     those that make no DVK call, or dvk_ipc (it goes through dvk_ipc_word);
 *   - no other probe exists.
 * So a new call cannot be added without its probes, nor a new uapi call
 * without its library function here.  Run from the top of the tree.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libdvk.h"
#include "check.h"

#define LIBSO	"build/lib/libdvk.so"
#define STATIC	"build/bin/dvkbench"
#define MAXP	128

struct call { const char *name, *func; int nargs; };

/* the probe pairs: call name, the function holding them, its arguments */
static const struct call calls[] = {
	{ "ipc", "dvk_ipc_word", 6 },
	{ "dc_init", "dvk_dc_init", 1 }, { "send", "dvk_send_T", 3 },
	{ "receive", "dvk_receive_T", 3 }, { "notify", "dvk_notify_X", 3 },
	{ "sendrec", "dvk_sendrec_T", 3 }, { "rcvrqst", "dvk_rcvrqst_T", 2 },
	{ "reply", "dvk_reply_T", 3 }, { "dc_end", "dvk_dc_end", 1 },
	{ "bind", "dvk_bind_X", 5 }, { "unbind", "dvk_unbind_T", 3 },
	{ "getpriv", "dvk_getpriv", 3 }, { "setpriv", "dvk_setpriv", 3 },
	{ "vcopy", "dvk_vcopy", 5 }, { "getdcinfo", "dvk_getdcinfo", 2 },
	{ "getprocinfo", "dvk_getprocinfo", 3 }, { "relay", "dvk_relay", 2 },
	{ "proxies_bind", "dvk_proxies_bind", 5 }, { "proxies_unbind", "dvk_proxies_unbind", 1 },
	{ "getnodeinfo", "dvk_getnodeinfo", 2 }, { "put2lcl", "dvk_put2lcl", 2 },
	{ "get2rmt", "dvk_get2rmt_T", 3 }, { "add_node", "dvk_add_node", 2 },
	{ "del_node", "dvk_del_node", 2 }, { "dvs_init", "dvk_dvs_init", 2 },
	{ "dvs_end", "dvk_dvs_end", 0 }, { "getep", "dvk_getep", 1 },
	{ "getdvsinfo", "dvk_getdvsinfo", 1 }, { "proxy_conn", "dvk_proxy_conn", 2 },
	{ "wait4bind", "dvk_wait4bindep_X", 3 }, { "migrate", "dvk_migrate", 5 },
	{ "node_up", "dvk_node_up", 3 }, { "node_down", "dvk_node_down", 1 },
	{ "getproxyinfo", "dvk_getproxyinfo", 3 }, { "wakeup", "dvk_wakeup", 2 },
};
#define NCALLS	(sizeof(calls) / sizeof(calls[0]))

/* exported functions that make no DVK call, and dvk_ipc (through dvk_ipc_word) */
static const char *const unprobed[] = {
	"dvk_open", "dvk_close", "dvk_report", "dvk_strerror", "dvk_errname",
	"dvk_callname", "dvk_rts_flagstr", "dvk_dvs_flagstr", "dvk_ipc",
};

struct probe { char provider[16], name[48], args[128]; uint64_t pc; };

struct image {
	int fd;
	Elf *elf;
	struct probe p[MAXP];
	int np;
};

/* the stapsdt notes of one note section; pc moved by .stapsdt.base's address */
static void read_notes(struct image *im, Elf_Scn *scn, uint64_t base_addr)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Nhdr nh;
	size_t off = 0, noff, doff;

	while (d && (off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0 && im->np < MAXP) {
		const char *desc = (const char *)d->d_buf + doff, *s = desc + 24;
		struct probe *p = &im->p[im->np];
		uint64_t a[3];

		if (nh.n_type != 3 || strcmp((const char *)d->d_buf + noff, "stapsdt") ||
		    nh.n_descsz < 27)
			continue;
		memcpy(a, desc, sizeof(a));
		p->pc = a[0] + (base_addr ? base_addr - a[1] : 0);
		snprintf(p->provider, sizeof(p->provider), "%s", s);
		s += strlen(s) + 1;
		snprintf(p->name, sizeof(p->name), "%s", s);
		s += strlen(s) + 1;
		snprintf(p->args, sizeof(p->args), "%s", s);
		im->np++;
	}
}

static int open_image(struct image *im, const char *path)
{
	Elf_Scn *scn = NULL, *notes = NULL;
	GElf_Shdr sh;
	size_t shstr;
	uint64_t base = 0;

	memset(im, 0, sizeof(*im));
	im->fd = open(path, O_RDONLY);
	if (im->fd < 0)
		return -1;
	im->elf = elf_begin(im->fd, ELF_C_READ, NULL);
	if (!im->elf || elf_getshdrstrndx(im->elf, &shstr))
		return -1;
	while ((scn = elf_nextscn(im->elf, scn))) {
		const char *n;

		gelf_getshdr(scn, &sh);
		n = elf_strptr(im->elf, shstr, sh.sh_name);
		if (n && !strcmp(n, ".note.stapsdt"))
			notes = scn;
		else if (n && !strcmp(n, ".stapsdt.base"))
			base = sh.sh_addr;
	}
	if (notes)
		read_notes(im, notes, base);
	return 0;
}

/* the symbol table of type @type (SHT_SYMTAB, SHT_DYNSYM) */
static Elf_Data *symbols(struct image *im, Elf64_Word type, size_t *n, size_t *strndx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(im->elf, scn))) {
		gelf_getshdr(scn, &sh);
		if (sh.sh_type == type) {
			*n = sh.sh_size / sh.sh_entsize;
			*strndx = sh.sh_link;
			return elf_getdata(scn, NULL);
		}
	}
	return NULL;
}

/* the function holding address pc, "" if none */
static const char *func_at(struct image *im, uint64_t pc)
{
	size_t n = 0, strndx = 0;
	Elf_Data *d = symbols(im, SHT_SYMTAB, &n, &strndx);
	GElf_Sym s;

	for (size_t i = 0; d && i < n; i++)
		if (gelf_getsym(d, (int)i, &s) && GELF_ST_TYPE(s.st_info) == STT_FUNC &&
		    pc >= s.st_value && pc < s.st_value + s.st_size)
			return elf_strptr(im->elf, strndx, s.st_name);
	return "";
}

static const struct probe *find(const struct image *im, const char *call, const char *where)
{
	char name[64];

	snprintf(name, sizeof(name), "%s__%s", call, where);
	for (int i = 0; i < im->np; i++)
		if (!strcmp(im->p[i].provider, "dvk") && !strcmp(im->p[i].name, name))
			return &im->p[i];
	return NULL;
}

static int nargs(const char *args)
{
	int n = 0;

	for (const char *s = args; *s; s++)
		n += (s == args || s[-1] == ' ') && *s != ' ';
	return n;
}

/* the table's call: both probes, in its function, with its arguments */
static int call_ok(struct image *im, const struct call *c, char *why, size_t len)
{
	const struct probe *e = find(im, c->name, "entry"), *r = find(im, c->name, "return");

	if (!e || !r)
		return snprintf(why, len, "%s has no dvk:%s__%s", LIBSO, c->name, e ? "return" : "entry"), 0;
	if (strcmp(func_at(im, e->pc), c->func) || strcmp(func_at(im, r->pc), c->func))
		return snprintf(why, len, "probes in %s / %s, not %s", func_at(im, e->pc),
				func_at(im, r->pc), c->func), 0;
	if (nargs(e->args) != c->nargs)
		return snprintf(why, len, "entry arguments '%s', want %d", e->args, c->nargs), 0;
	if (nargs(r->args) != 1 || strncmp(r->args, "-8@", 3))
		return snprintf(why, len, "return arguments '%s', want one -8@", r->args), 0;
	return 1;
}

/* provider dvk, named CALL__entry or CALL__return of a call of the table */
static int known(const struct probe *p)
{
	for (size_t i = 0; i < NCALLS; i++) {
		size_t n = strlen(calls[i].name);

		if (!strcmp(p->provider, "dvk") && !strncmp(p->name, calls[i].name, n) &&
		    (!strcmp(p->name + n, "__entry") || !strcmp(p->name + n, "__return")))
			return 1;
	}
	return 0;
}

static int in_table(const char *func)
{
	for (size_t i = 0; i < NCALLS; i++)
		if (!strcmp(calls[i].func, func))
			return 1;
	for (size_t i = 0; i < sizeof(unprobed) / sizeof(unprobed[0]); i++)
		if (!strcmp(unprobed[i], func))
			return 1;
	return 0;
}

static void check_exports(struct image *im)
{
	size_t n = 0, strndx = 0;
	Elf_Data *d = symbols(im, SHT_DYNSYM, &n, &strndx);
	char missing[512] = "";
	int nfunc = 0;
	GElf_Sym s;

	for (size_t i = 0; d && i < n; i++) {
		const char *name;

		if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC ||
		    s.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(im->elf, strndx, s.st_name);
		nfunc++;
		if (!in_table(name) && strlen(missing) + strlen(name) + 2 < sizeof(missing))
			strcat(strcat(missing, " "), name);
	}
	CHECK("every function libdvk.so exports has its probes or makes no DVK call",
	      nfunc > 30 && !missing[0], "%d functions; without probes:%s (add DVK_ENTRY and "
	      "DVK_RETURN, and a line in tests/unit/test_usdt.c)", nfunc, missing);
}

int main(void)
{
#define _DVK_CALL_NAME(nr, name) #name,
	static const char *const uapi[] = { DVK_CALL_LIST(_DVK_CALL_NAME) };
	struct image so, st;
	char why[256], list[256] = "";
	int bad = 0, stray = 0;

	elf_version(EV_CURRENT);
	if (open_image(&so, LIBSO)) {
		CHECK("libdvk.so opens", 0, "cannot read %s (make lib first)", LIBSO);
		return CHECK_EXIT();
	}
	for (size_t i = 0; i < NCALLS; i++) {
		char name[96];

		snprintf(name, sizeof(name), "libdvk.so: dvk:%s__entry/__return in %s, %d arguments",
			 calls[i].name, calls[i].func, calls[i].nargs);
		CHECK(name, call_ok(&so, &calls[i], why, sizeof(why)), "%s", why);
	}
	for (size_t i = 1; i < sizeof(uapi) / sizeof(uapi[0]); i++) {	/* void0 aside */
		size_t j = 0;

		while (j < NCALLS && strcmp(calls[j].name, uapi[i]))
			j++;
		if (j == NCALLS && strlen(list) + strlen(uapi[i]) + 2 < sizeof(list))
			strcat(strcat(list, " "), uapi[i]), bad++;
	}
	CHECK("every call of DVK_CALL_LIST (but void0) has a probe pair", !bad, "none for:%s", list);
	check_exports(&so);
	for (int i = 0; i < so.np; i++)
		stray += !known(&so.p[i]);
	CHECK("libdvk.so has no probe but those of the calls", !stray && so.np >= 2 * (int)NCALLS,
	      "%d probes, %d of them not dvk:CALL__entry/__return of a call above", so.np, stray);

	if (open_image(&st, STATIC)) {
		CHECK("dvkbench opens", 0, "cannot read %s (make tools first)", STATIC);
		return CHECK_EXIT();
	}
	CHECK("statically linked dvkbench carries sendrec, receive and send probes",
	      find(&st, "sendrec", "entry") && find(&st, "sendrec", "return") &&
	      find(&st, "receive", "return") && find(&st, "send", "entry"),
	      "%d dvk probes in %s", st.np, STATIC);
	return CHECK_EXIT();
}
