# shellcheck shell=bash
# collect.sh - what a capture collects besides the trace: /proc/dvs and debugfs snapshots, the module, the proxies
# Sourced by dvk-capture (same directory); uses its variables and die/say/w.

# snapshot DIR: /proc/dvs and debugfs dvk/ as files under DIR/proc/dvs, DIR/debug/dvk.
# One awk reads every file (a process per file is slow on a loaded or emulated node);
# the files are created first, so that an empty one is there too.
snapshot() {
	local d=$1 f dirs=() sfiles=()
	w mkdir -p "$d/proc/dvs" "$d/debug/dvk"
	if [ -d /proc/dvs ]; then
		# a list file, not a process substitution: some systems have no /dev/fd
		find /proc/dvs -mindepth 1 >"$work/find.list" 2>/dev/null || full_check
		while IFS= read -r f; do
			if [ -d "$f" ]; then dirs+=("$d/proc/dvs${f#/proc/dvs}"); else sfiles+=("$f"); fi
		done <"$work/find.list"
	fi
	[ ${#dirs[@]} -eq 0 ] || w mkdir -p "${dirs[@]}"
	for f in /sys/kernel/debug/dvk/*; do [ -f "$f" ] && sfiles+=("$f"); done
	[ ${#sfiles[@]} -gt 0 ] || return 0
	for f in "${sfiles[@]}"; do
		case $f in
		/proc/dvs/*) : >"$d/proc/dvs${f#/proc/dvs}" ;;
		*) : >"$d/debug/dvk/${f##*/}" ;;
		esac || full_check
	done
	# a file may vanish (a DC ended) between find and awk: awk says so and goes on
	awk -v d="$d" 'FNR == 1 {
			if (out != "") close(out)
			out = FILENAME
			if (sub("^/proc/dvs", d "/proc/dvs", out) == 0) sub("^/sys/kernel/debug/dvk", d "/debug/dvk", out)
		}
		{ print > out }' "${sfiles[@]}" 2>"$work/awk.err"
	if grep -qv 'No such file' "$work/awk.err"; then
		full_check
		die "reading the views failed: $(head -c 200 "$work/awk.err")"
	fi
	return 0
}

module_info() {
	local f bid=''
	version=$(cat /sys/module/dvk/version 2>/dev/null || true)
	srcversion=$(cat /sys/module/dvk/srcversion 2>/dev/null || true)
	f=/sys/module/dvk/notes/.note.gnu.build-id
	if [ -r "$f" ]; then
		# an ELF note: namesz, descsz, type (4 bytes each), "GNU\0", the id
		bid=$(od -An -tx1 -v "$f" | tr -d ' \n')
		local descsz=$((16#${bid:14:2}${bid:12:2}${bid:10:2}${bid:8:2}))
		bid=${bid:32:$((descsz * 2))}
	fi
	build_id=$bid
	{
		echo "# /sys/module/dvk"
		for f in version srcversion taint refcnt initstate coresize; do
			[ -r "/sys/module/dvk/$f" ] && echo "$f: $(cat "/sys/module/dvk/$f")"
		done
		echo "build_id: $bid"
		# the file it was loaded from, if it is the tree's or installed
		for f in "$top/kernel/dvk.ko" "$(modinfo -n dvk 2>/dev/null)"; do
			[ -n "$f" ] && [ -f "$f" ] || continue
			if [ "$(modinfo -F srcversion "$f" 2>/dev/null)" = "$srcversion" ]; then
				echo
				echo "# modinfo $f (same srcversion)"
				modinfo "$f"
				break
			fi
		done
	} >"$D/modinfo.txt" 2>/dev/null || full_check
}

# proxies: the running dvk-proxy processes' command lines, stats files and logs
proxies() {
	local p pid args a i stats log n=0
	for p in /proc/[0-9]*; do
		read -r a 2>/dev/null <"$p/comm" || continue	# a builtin: no process per pid
		[ "$a" = dvk-proxy ] || continue
		pid=${p#/proc/}
		n=$((n + 1))
		w mkdir -p "$D/proxies/$pid"
		mapfile -d '' -t args <"$p/cmdline" 2>/dev/null
		printf '%s\n' "${args[@]}" >"$D/proxies/$pid/cmdline" || full_check
		stats=''
		for ((i = 0; i < ${#args[@]}; i++)); do
			a=${args[i]}
			case $a in
			-s|--stats-file) stats=${args[i + 1]:-} ;;
			--stats-file=*) stats=${a#--stats-file=} ;;
			esac
		done
		if [ -n "$stats" ]; then
			[[ $stats = /* ]] || stats=$p/cwd/$stats
			cat "$stats" >"$D/proxies/$pid/stats" 2>/dev/null || rm -f "$D/proxies/$pid/stats"
		fi
		# its log is its stderr, when that is a file
		log=$(readlink "$p/fd/2" 2>/dev/null)
		if [ -n "$log" ] && [ -f "$p/fd/2" ]; then
			echo "$log" >"$D/proxies/$pid/log.path"
			tail -c 1000000 "$p/fd/2" >"$D/proxies/$pid/log" 2>/dev/null || full_check
		fi
	done
	nproxies=$n
}
