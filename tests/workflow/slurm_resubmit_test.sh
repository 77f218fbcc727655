#!/usr/bin/env bash
# The Slurm template: USR1 (as Slurm sends before the time limit) makes the
# job checkpoint and resubmit itself; the resubmitted job resumes and
# completes. `sbatch` is a stand-in that records its arguments.
set -uo pipefail
lunarsim=$1 script=$2 deck=$3 work=$4
rm -rf "$work" && mkdir -p "$work/bin" && cd "$work" || exit 1
cat > bin/sbatch <<'SB'
#!/usr/bin/env bash
echo "$@" >> "$SBATCH_LOG"
SB
chmod +x bin/sbatch
export PATH="$work/bin:$PATH" SBATCH_LOG="$work/sbatch.log" LUNARSIM="$lunarsim" SLURM_CPUS_PER_TASK=1
args=(--set run.duration=10yr --set "run.time_step=120 s" --quiet)
fail=0

bash "$script" "$deck" out.h5 "${args[@]}" > job1.log 2>&1 &
job=$!
# Signal in the time loop (a signal during init ends the run at once): the
# output appears when init is done; init takes seconds under the sanitizers.
for _ in $(seq 1 600); do
    [[ -f out.h5.partial ]] && break
    kill -0 "$job" 2>/dev/null || break
    sleep 0.2
done
sleep 0.5
kill -USR1 "$job"
wait "$job"
status=$?
if [[ $status -eq 0 ]]; then
    echo "note: the run finished before USR1 (fast machine); resubmission not exercised"
    [[ -f out.h5 ]] || { echo "FAILED: no output"; fail=1; }
else
    [[ $status -eq 3 ]] || { echo "FAILED: first job exit $status, expected 3"; cat job1.log; fail=1; }
    [[ -f out.h5.ckpt && -f out.h5.partial ]] || { echo "FAILED: no checkpoint/partial after USR1"; fail=1; }
    grep -q -- "$deck out.h5 --set run.duration=10yr" sbatch.log 2>/dev/null ||
        { echo "FAILED: job did not resubmit itself with its arguments"; cat sbatch.log; fail=1; }
    bash "$script" "$deck" out.h5 "${args[@]}" > job2.log 2>&1
    status=$?
    [[ $status -eq 0 ]] || { echo "FAILED: resubmitted job exit $status"; cat job2.log; fail=1; }
    grep -q "resuming from out.h5.ckpt" job2.log || { echo "FAILED: second job did not resume"; fail=1; }
    [[ -f out.h5 && ! -f out.h5.partial && ! -f out.h5.ckpt ]] || { echo "FAILED: run not completed cleanly"; fail=1; }
fi
echo "slurm_resubmit: $fail failures"
exit $fail
