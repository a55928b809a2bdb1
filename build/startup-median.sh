#!/bin/bash
# Median wall time of N runs of a command: build/startup-median.sh N COMMAND [ARGS...]
# median wall time (ms) of N runs of a command
n=$1; shift
for i in $(seq $n); do s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e-s)/1000 )); done | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms (min %.1f, max %.1f)\n", a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000}'
