// SPDX-License-Identifier: GPL-2.0
/* test_lib.c - host unit tests of libdvk's names and the ABI macros. */
#include <string.h>
#include "libdvk.h"
#include "check.h"

int main(void)
{
	CHECK("strerror names EDVSNOTBIND",
	      !strcmp(dvk_strerror(EDVSNOTBIND), "EDVSNOTBIND (-310): process not bound"),
	      "got '%s'", dvk_strerror(EDVSNOTBIND));
	CHECK("strerror names EDVSTIMEDOUT",
	      !strcmp(dvk_strerror(-61), "EDVSTIMEDOUT (-61): connection timed out"),
	      "got '%s'", dvk_strerror(-61));
	CHECK("strerror of success", !strncmp(dvk_strerror(0), "OK (0)", 6), "got '%s'",
	      dvk_strerror(0));
	CHECK("strerror of unknown code", !strcmp(dvk_strerror(-999), "unknown DVK error (-999)"),
	      "got '%s'", dvk_strerror(-999));
	CHECK("errname of unknown code is NULL", dvk_errname(-322) == NULL, "got '%s'",
	      dvk_errname(-322));

	/* every named code round-trips: name -> value -> the same name */
#define _RT(name, value, text)							\
	if (!dvk_errname(value) || strcmp(dvk_errname(value), #name) ||	\
	    !strstr(dvk_strerror(value), text)) {				\
		bad++;								\
		printf("  mismatch for %s\n", #name);				\
	}
	{
		int bad = 0;

		DVK_ERROR_LIST(_RT)
		CHECK("every error code has its name and meaning", bad == 0, "%d mismatches", bad);
	}

	{
		char b[32], tiny[2];

		CHECK("rts flags SENDING|RECEIVING read SR",
		      !strcmp(dvk_rts_flagstr(SENDING | RECEIVING, b, sizeof(b)), "SR"), "got %s", b);
		CHECK("rts flags 0 read -", !strcmp(dvk_rts_flagstr(0, b, sizeof(b)), "-"), "got %s", b);
		CHECK("rts flags in bit order, all 16 letters",
		      !strcmp(dvk_rts_flagstr(~0, b, sizeof(b)), "PSRGgTVYECMrOWUB"), "got %s", b);
		CHECK("rts flags cut to the buffer",
		      !strcmp(dvk_rts_flagstr(SENDING | RECEIVING, tiny, sizeof(tiny)), "S"),
		      "got %s", tiny);
		CHECK("dvs flags 0x102 read INIT IOCTL",
		      !strcmp(dvk_dvs_flagstr(0x102, b, sizeof(b)), "INIT IOCTL"), "got %s", b);
		CHECK("dvs flags 0 read nothing", !strcmp(dvk_dvs_flagstr(0, b, sizeof(b)), ""),
		      "got %s", b);
	}

	CHECK("callname 0 is void0", !strcmp(dvk_callname(0), "void0"), "got %s", dvk_callname(0));
	CHECK("callname 5 is sendrec", !strcmp(dvk_callname(DVK_SENDREC), "sendrec"), "got %s",
	      dvk_callname(DVK_SENDREC));
	CHECK("callname 34 is wakeup", !strcmp(dvk_callname(34), "wakeup"), "got %s",
	      dvk_callname(34));
	CHECK("callname 35 is invalid", !strcmp(dvk_callname(35), "invalid"), "got %s",
	      dvk_callname(35));
	CHECK("call word of dvs_init is 0x11800", DVK_CALL_WORD(DVK_DVSINIT) == 0x11800,
	      "got 0x%x", DVK_CALL_WORD(DVK_DVSINIT));
	CHECK("call word decodes back", DVK_CALL_NR(DVK_CALL_WORD(DVK_BIND)) == DVK_BIND &&
	      DVK_CALL_VERSION(DVK_CALL_WORD(DVK_BIND)) == DVKIPC_VERSION, "bad decode");
	CHECK("endpoint helpers: p_nr of -35 and 220", _ENDPOINT_P(-35) == -35 &&
	      _ENDPOINT_P(220) == 220 && _ENDPOINT_P(_ENDPOINT(2, 17)) == 17 &&
	      _ENDPOINT_G(_ENDPOINT(2, 17)) == 2, "bad endpoint arithmetic");
	CHECK("bind failure threshold", !dvk_call_failed(DVK_BIND, -35) &&
	      dvk_call_failed(DVK_BIND, EDVSNOTBIND) && dvk_call_failed(DVK_SEND, -1),
	      "dvk_call_failed wrong");
	return CHECK_EXIT();
}
