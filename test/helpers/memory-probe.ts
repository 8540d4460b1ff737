// Preloaded (`node --expose-gc --require …/memory-probe.js dist/server/main.js`) into a server process
// by the soak script: on the message "memory" over the IPC channel it collects garbage and answers
// its RSS and used heap. Nothing else of the server changes.
process.on('message', (message: unknown) => {
  if (message !== 'memory' || !process.send) return;
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send({ type: 'memory', rss, heapUsed });
});
// The channel must not keep the server alive once it wants to exit.
(process as unknown as { channel?: { unref(): void } }).channel?.unref();
