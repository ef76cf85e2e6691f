#!/usr/bin/env bash
# Runs every proof of docs/PROOFS.md (Frama-C WP on the production sources in Kernel.Image/src) and prints one line
# per property: "proved" or "FAILED", its goals and time. Exits 1 if any property fails, 2 if Frama-C is missing.
# Every run uses -wp-rte: the goals include the absence of runtime errors in the functions listed.
set -uo pipefail
cd "$(dirname "$0")/../Kernel.Image"
for tool in frama-c why3 z3 cvc4; do
  command -v "$tool" >/dev/null 2>&1 || { echo "prove.sh: $tool missing (Debian: frama-c-base why3 z3 cvc4)" >&2; exit 2; }
done

# A private Why3 configuration: the provers found here, plus CVC4 with --full-saturate-quant (it instantiates
# quantifiers over every ground term, which the queue invariants need). ~/.why3.conf is left alone.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export WHY3CONFIG="$work/why3.conf"
why3 config detect >/dev/null 2>&1
cat >> "$WHY3CONFIG" <<'CONF'

[prover]
command = "cvc4 --stats --tlimit=%t000 --lang=smt2 --full-saturate-quant %f"
command_steps = "cvc4 --stats --rlimit=%S --lang=smt2 --full-saturate-quant %f"
driver = "cvc4_17"
editor = ""
in_place = false
interactive = false
name = "CVC4"
shortcut = "cvc4fsq"
version = "1.8"
alternative = "fsq"
CONF

# Each line loads the files it needs only: a file's lemmas are hypotheses of every goal of the run, and extra
# hypotheses slow the provers down. The kernel files hold the contracts of everything their functions call.
KERNEL="src/sched.c src/ipc.c src/grant.c src/irq.c src/task_exit.c"
PROVERS=${PROVE_PROVERS:-cvc4,CVC4:1.8:fsq,z3}
# WP's cache (docs/PROOFS.md, "The proof cache"): each prover verdict is stored under the digest of the exact goal the
# prover was given (hypotheses included) and of the prover's name and version, so an unchanged goal is not proved
# again and any change to the code or the contracts a goal depends on gives a new goal that the provers prove.
# PROVE_CACHE=none proves every goal again; rebuild proves them all and rewrites the entries.
CACHE=$PWD/proofs/wp-cache
# Lines whose functions call the task-exit hooks (include/aegis/task_exit.h) through the const table: WP proves each
# such call's `calls` clause (goal call_point_...: the pointer is one of the functions listed, each a defined function
# of the hook's type) and applies that function's contract. RTE's own alarm for a call through a pointer
# (\valid_function) is weaker than that goal and WP 25 cannot translate it (a "Degenerated" goal), so it is not
# generated on those lines.
HOOKS=-rte-no-pointer-call
failed=0
total_start=$(date +%s.%N)

# P9 gets three times the timeout: with P5's facts (ghost g_dead, kept fields) two of its assigns inclusions took
# longer than 20 s on a loaded machine. Later options win, so its -wp-timeout replaces the default one.
# prove ID "TEXT" "file ..." "function,..." [extra frama-c options]; "lemmas" instead of functions: the lemmas
# named with -wp-prop.
prove() {
  local id=$1 text=$2 files=$3 fcts=$4
  shift 4
  # PROVE_ONLY=P5,RTE runs only those lines (development); unset: every line.
  if [ -n "${PROVE_ONLY:-}" ]; then case ",$PROVE_ONLY," in *",$id,"*) ;; *) return 0 ;; esac; fi
  local start out goals
  start=$(date +%s.%N)
  out=$(frama-c -machdep gcc_x86_64 -c11 -cpp-extra-args="-Iinclude -Iproofs" -pp-annot $files \
        -wp -wp-rte -wp-prover "$PROVERS" -wp-timeout "${PROVE_TIMEOUT:-20}" -wp-par "${PROVE_PAR:-2}" \
        -wp-cache "${PROVE_CACHE:-update}" -wp-cache-dir "$CACHE" \
        -wp-no-warn-memory-model $([ "$fcts" = lemmas ] || echo -wp-fct "$fcts") "$@" 2>&1)
  goals=$(printf '%s\n' "$out" | sed -n 's/^\[wp\] Proved goals: *\([0-9]*\) *\/ *\([0-9]*\).*/\1\/\2/p' | tail -1)
  # Prover verdicts read from the cache (WP's summary: "(cached: n)" per prover).
  local cached
  cached=$(printf '%s\n' "$out" | grep -oE '\(cached: [0-9]+\)' | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
  local secs
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ -n "$goals" ] && [ "${goals%/*}" = "${goals#*/}" ] && [ "${goals#*/}" != 0 ]; then
    printf 'proved  %-5s %s (%s) %s goals %ss, %s cached\n' "$id" "$text" "$fcts" "$goals" "$secs" "$cached"
  else
    printf 'FAILED  %-5s %s (%s) %s goals %ss\n' "$id" "$text" "$fcts" "${goals:-no}" "$secs"
    printf '%s\n' "$out" | grep -E "Failed|Timeout|Unknown|rror" | grep -v "Valid" | sed 's/^/        /' | head -${PROVE_SHOW:-20}
    failed=1
  fi
}

prove P1  "cap_check: bitwise correctness" src/cap.c cap_check
prove P2  "cap_for_syscall: the capability table per syscall" src/cap.c cap_for_syscall,cap_name
prove P2L "cap_table_in_all: every value of the table is a subset of CAP_ALL" src/cap.c lemmas -wp-prop cap_table_in_all
prove P3  "schedule: idle guarantee (incl. Exited), highest eligible priority, RR order, state steps" "$KERNEL" \
          schedule_pick,eligible,schedule
prove P4  "restart_task: restart state machine" "$KERNEL" restart_task
prove P5  "watchdog_scan: a live task that missed its heartbeat is Faulted and cleaned up, others kept" "$KERNEL" \
          watchdog_scan,watchdog_fault -wp-split -wp-auto wp:range $HOOKS
prove P6  "epoch_reset: budget epoch reset" "$KERNEL" epoch_reset
prove P7  "sender queue: push/pop overflow and FIFO" "$KERNEL" queue_push,queue_pop
prove P8  "copy_message: message integrity" "$KERNEL" copy_message
prove P9  "ipc_cleanup_task: IPC cleanup completeness, partners woken (dev. 4), boost ends (dev. 13)" "$KERNEL" \
          ipc_cleanup_task,remove_everywhere,queue_remove,make_ready,clear_reply -wp-auto wp:range \
          -wp-timeout $((3 * ${PROVE_TIMEOUT:-20}))
prove B1  "sys_send / sys_recv / sys_call: no runtime error; TCBS_OK and PRIO_OK hold at every schedule()" "$KERNEL" \
          sys_send,sys_recv,sys_call -inline-calls enter_ipc,give_reply_right,block_as_sender,answer_call \
          -remove-inlined enter_ipc,give_reply_right,block_as_sender,answer_call
prove P10 "grant_cleanup_task: grant cleanup completeness" "$KERNEL" grant_cleanup_task
prove P11 "grant_create: create on a free slot, slot exhaustion" "$KERNEL" grant_create,grant_revoke,grant_page_addr
prove P13 "irq_cleanup_task / irq_route / irq_ack: no orphaned binding, table kept well formed" "$KERNEL" \
          irq_cleanup_task,irq_route,irq_ack
prove P14 "irq_bind: no duplicate INTID" "$KERNEL" irq_bind
prove P15 "PT_INDEX (mmu.c): page-table index bounds and no aliasing between tasks" src/mmu.c lemmas \
          -wp-prop pt_index_in_bank,pt_index_no_aliasing,l3_index_in_table
prove P16L "ELF_LOAD_ADDR (elf.c): slots inside the region and disjoint" src/elf.c lemmas \
          -wp-prop elf_slot_in_region,elf_slots_disjoint
prove P16 "elf.c: parser reads inside the image, validated segments inside the slot, entry inside the task's slot" \
          "$KERNEL src/elf.c" rd,elf_parse,elf_validate,elf_load_segments,elf_error_name,open_slot,map_segments,load_elf_to_task
prove RTE "sched.c: frames, heartbeat, init, tick, cleanup, fault, exit (no runtime error)" "$KERNEL" \
          sched_save_frame,sched_load_frame,switch_el0_state,record_heartbeat,sched_init,cleanup_task_resources,sched_bootstrap,sched_tick,fault_current_task,sys_exit \
          $HOOKS

total=$(awk -v a="$total_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ $failed = 0 ]; then echo "proofs: all proved (${total}s)"; else echo "proofs: FAILED (${total}s)"; fi
exit $failed
