#!/bin/sh
# Runs the module compiled from runtime-shapes.onnxtext ($1) on device $2
# with right shape inputs (outputs compared) and wrong ones (must fail), for
# runtime-shape-checks.test. Prints each case's values, then the tool's
# output; exits non-zero when a right case fails or a wrong one succeeds.
module=$1
device=$2
run() {
  shape=$1 eshape=$2 repeats=$3
  shift 3
  ingot-run-module --module="$module" --device="$device" \
    --input=2x3xf32=1,2,3,4,5,6 --input=2xi64="$shape" --input=3x1xf32=1,2,3 \
    --input=3xi64="$eshape" --input=2xi64="$repeats" \
    --output= --output= --output= "$@"
}
for args in "3,2 2,3,4 2,3" "3,-1 2,1,4 2,3" "-1,2 2,3,4 2,3"; do
  set -- $args
  echo "right $args"
  run "$1" "$2" "$3" \
    --expected_output=3x2xf32=1,2,3,4,5,6 \
    --expected_output=2x3x4xf32=1,1,1,1,2,2,2,2,3,3,3,3,1,1,1,1,2,2,2,2,3,3,3,3 \
    --expected_output=4x9xf32=1,2,3,1,2,3,1,2,3,4,5,6,4,5,6,4,5,6,1,2,3,1,2,3,1,2,3,4,5,6,4,5,6,4,5,6 ||
    exit 1
done
for args in "2,3 2,3,4 2,3" "-1,-1 2,3,4 2,3" "6,1 2,3,4 2,3" \
    "3,2 1,3,4 2,3" "3,2 2,3,1 2,3" "3,2 2,3,4 3,2" "3,2 2,3,4 2,-3"; do
  set -- $args
  echo "wrong $args"
  if run "$1" "$2" "$3" 2>&1; then
    echo "unexpected success"
    exit 1
  fi
done
