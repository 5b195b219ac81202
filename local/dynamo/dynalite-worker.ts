/**
 * The program of the thread dynalite runs in (dynalite.ts). It is plain
 * CommonJS source, evaluated by the Worker, so that it runs the same from
 * the TypeScript sources and from the bundled command: neither has to ship
 * a separate file. It receives `workerData` = { dynalitePath, port,
 * options } and talks to its parent in messages:
 *
 *   → { type: 'listening', port }         the server accepts requests
 *   → { type: 'failed', message }         it could not listen
 *   ← { type: 'close', drainLimitMs, graceMs }
 *   → { type: 'closed', message? }        the server and database closed
 *
 * dynalite closes its database as soon as the HTTP server has no sockets,
 * and a Level operation still running then rejects where nobody listens:
 * an uncaught "Database is closed". So close waits for the requests in
 * flight first, then a grace period, then closes idle keep-alive sockets.
 */
export const DYNALITE_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);

const server = dynalite(workerData.options);
let active = 0;
server.on('request', (_request, response) => {
  active++;
  response.once('close', () => { active--; });
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

server.once('error', (error) => {
  parentPort.postMessage({ type: 'failed', message: error.message });
});
server.listen(workerData.port, '127.0.0.1', () => {
  parentPort.postMessage({ type: 'listening', port: server.address().port });
});

parentPort.on('message', async (message) => {
  if (message.type !== 'close') return;
  const deadline = Date.now() + message.drainLimitMs;
  while (active > 0 && Date.now() < deadline) await sleep(10);
  await sleep(message.graceMs);
  if (server.closeIdleConnections) server.closeIdleConnections();
  server.close((error) => {
    parentPort.postMessage({ type: 'closed', message: error && error.message });
    parentPort.close();
  });
});
`;
