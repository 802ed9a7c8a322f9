#!/usr/bin/env bash
# Install everything dvk-observe needs on a fresh Debian 12 machine (apt packages only).
# Idempotent: packages already present are skipped, so `make test` can call it every time.
#
# usage: scripts/setup.sh [--debug-kernel]
#   --debug-kernel  also what scripts/debug-kernel needs to build the debug guest
#                   kernel (KASAN, lockdep, kmemleak...) for `make test-debug`:
#                   Debian's kernel source and the kernel's build tools
set -euo pipefail

PKGS=(
	build-essential make gcc sparse            # module + user space, `make check`
	linux-image-amd64 linux-headers-amd64      # guest kernel (booted by QEMU only) and its build tree
	kmod xz-utils cpio busybox-static          # initramfs for the guests
	iproute2                                   # vm-cluster: ss (free ports) on the host, ip in the guests
	qemu-system-x86                            # the VM test platform (TCG)
	clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev dwarves  # BPF programs, skeletons, module BTF
	bpftrace trace-cmd                         # developer probes, trace capture
	libncurses-dev pkg-config tmux             # dvktop and its pty tests
	jq                                         # tests read dvktop --json
	libtracecmd-dev libtracefs-dev libtraceevent-dev  # dvk-trace reads trace-cmd .dat files
	libarchive-dev libjson-c-dev zstd          # capture archives (lib/dvkarchive), their manifests
	python3                                    # the timeline tests: perfetto-check.py, trace-clock.py (standard library only)
	libssl-dev                                 # dvk-proxy's link protection (OpenSSL libcrypto)
	procps                                     # pkill: cluster_secure re-keys the proxies with SIGHUP
	systemtap-sdt-dev                          # <sys/sdt.h>: libdvk's USDT probes (lib/dvk_usdt.h)
	systemd                                    # systemd-analyze verify (tests/unit/service.sh); PID 1 of vm-run --systemd (tests/kernel/systemd.sh)
	scdoc man-db groff-base                    # man pages: scdoc builds them (make man), man --warnings checks them
	bash-completion                            # tests/unit/completion.sh loads the completion files with it
	dkms                                       # the install test's DKMS build of dvk.ko (docs/install.md)
	dpkg-dev debhelper dh-dkms lintian         # the Debian packages (debian/, tests/install/deb.sh)
	libmicrohttpd-dev                          # dvk-exporter's HTTP server
	prometheus curl                            # the exporter's tests: promtool, a real Prometheus, its HTTP API
	python3-prometheus-client                  # test_exporter checks the OpenMetrics output with its parser
)
case "${1-}" in
"") ;;
--debug-kernel)
	PKGS+=(linux-source-6.1 flex bison bc libssl-dev libelf-dev dwarves)  # scripts/debug-kernel
	;;
*) echo "usage: scripts/setup.sh [--debug-kernel]" >&2; exit 2 ;;
esac

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "setup: all packages present"
	exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
