#!/bin/sh
# with_tmpfs.sh SIZE DIR COMMAND [ARG...]: runs COMMAND with a tmpfs of SIZE
# mounted on DIR (created if needed) and unmounts it however COMMAND ends,
# so a failing test leaves no mount behind. Exits with COMMAND's status.
# A tmpfs left on DIR by a run that was killed outright is unmounted first.
set -u
[ $# -ge 3 ] || { echo "usage: with_tmpfs.sh SIZE DIR COMMAND [ARG...]" >&2; exit 2; }
size=$1 dir=$2
shift 2
mkdir -p "$dir" || exit 2
while mountpoint -q "$dir" 2>/dev/null; do umount "$dir" || exit 2; done
mount -t tmpfs -o "size=$size" tmpfs "$dir" || { echo "with_tmpfs.sh: cannot mount a tmpfs on $dir" >&2; exit 2; }
trap 'umount "$dir" || exit 2' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
"$@"
exit $?
