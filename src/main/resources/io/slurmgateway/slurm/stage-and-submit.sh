# Stages a run's directory from standard input and submits its batch script, in one command: one round trip where
# staging by SFTP and then sbatch took several. Arguments: DIRECTORY SECONDS (how long sbatch may run before it is
# killed). Standard input is a tar archive (ustar) of the run's files, written by the gateway with plain names and
# modes 0700 or 0600; no file's content is ever part of a command line. Few processes, since a login node may take
# 10 ms to start each; tar fails on an archive cut short, so a file never arrives partly.
# Exit status: sbatch's own (its job id on stdout), or 96 when staging failed and nothing was submitted.
# Run as: bash -c "$(cat stage-and-submit.sh)" name DIRECTORY SECONDS < archive
umask 077
staging_failed() { echo "staging failed: $*" >&2; exit 96; }
dir=$1
limit=$2
mkdir -p -m 700 -- "$dir" || staging_failed "cannot create $dir"
tar -x --no-same-owner --no-overwrite-dir -C "$dir" -f - || staging_failed "the run's files could not be written"
[ -f "$dir/batch.sh" ] || staging_failed "no batch.sh was sent"
exec timeout --signal=KILL "$limit" sbatch --parsable "$dir/batch.sh"
