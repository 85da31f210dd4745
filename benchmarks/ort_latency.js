#!/usr/bin/env node
// benchmarks/ort_latency.js - ONNX Runtime (onnxruntime-node) latency of one
// model, the reference Ingot is compared against.
//
// Usage: node ort_latency.js MODEL.onnx --threads N --reps R INPUT.npy...
// Prints one JSON line: {"engine":"ort","threads":N,"median_ms":..,"p90_ms":..}
// Each repetition times a batch of runs lasting about 50 ms and keeps the
// mean per run; median and p90 are taken over the repetitions (as
// ingot-benchmark-module does with Google Benchmark's repetitions).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path}: not a .npy file`);
  const v1 = buf[6] === 1;
  const headerLen = v1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = v1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = header.match(/'descr':\s*'([^']+)'/)[1];
  const dims = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',')
    .map(s => s.trim()).filter(s => s).map(Number);
  const types = { '<f4': ['float32', Float32Array], '<i8': ['int64', BigInt64Array],
                  '<i4': ['int32', Int32Array] };
  if (!types[descr]) throw new Error(`${path}: dtype ${descr} not handled`);
  const [type, Array] = types[descr];
  const bytes = buf.buffer.slice(buf.byteOffset + start + headerLen, buf.byteOffset + buf.length);
  return new ort.Tensor(type, new Array(bytes), dims);
}

async function main() {
  const args = process.argv.slice(2);
  const model = args.shift();
  let threads = 1, reps = 20;
  const inputs = [];
  while (args.length) {
    const a = args.shift();
    if (a === '--threads') threads = Number(args.shift());
    else if (a === '--reps') reps = Number(args.shift());
    else inputs.push(a);
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all' });
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
  for (let i = 0; i < 10; i++) await session.run(feeds);
  // Runs per repetition: enough for ~50 ms.
  let t0 = process.hrtime.bigint();
  await session.run(feeds);
  const once = Number(process.hrtime.bigint() - t0) / 1e6;
  const batch = Math.max(1, Math.round(50 / Math.max(once, 1e-3)));
  const times = [];
  for (let r = 0; r < reps; r++) {
    t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6 / batch);
  }
  times.sort((a, b) => a - b);
  const pick = q => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  console.log(JSON.stringify({ engine: 'ort', threads, reps, runs_per_rep: batch,
                               median_ms: pick(0.5), p90_ms: pick(0.9) }));
}
main().catch(e => { console.error(`ort_latency.js: error: ${e.message}`); process.exit(1); });
