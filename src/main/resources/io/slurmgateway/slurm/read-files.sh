# Reads from each file given as "path offset max" triples: prints the number of bytes it sends and the file's size
# (or "-1 -1" for a missing file) on a line, then exactly that many bytes. The count comes from the file's size before
# the read, and a job's output file only grows, so the bytes that follow are there to be read; they go straight from
# the file to the connection. Only a requeue truncates it (Slurm rewrites the output from the start): a size below the
# offset tells the reader. Run as: bash -c "$(cat read-files.sh)" name path offset max...
while [ $# -ge 3 ]; do
  if [ -f "$1" ] && size=$(stat -L -c %s -- "$1" 2>/dev/null); then
    count=$((size - $2))
    [ "$count" -gt "$3" ] && count=$3
    [ "$count" -lt 0 ] && count=0
    echo "$count $size"
    if [ "$count" -gt 0 ]; then
      # a file that shrank under the read (it never does for output) is padded, so the framing still holds
      { tail -c +$(($2 + 1)) -- "$1" 2>/dev/null; head -c "$count" /dev/zero; } | head -c "$count"
    fi
  else
    echo -1 -1
  fi
  shift 3
done
