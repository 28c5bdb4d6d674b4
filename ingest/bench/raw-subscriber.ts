import mqtt from 'mqtt';

/**
 * The raw baseline of bench:ingest: a plain QoS 1 subscriber that acknowledges at once and stores
 * nothing. Runs as its own process, as ingest does, so both phases get the same CPU. Prints
 * "ready", then "done <count> <ms from first to last message>" once it has `expect` messages.
 */
const [url, username, password, filter, expectArg] = process.argv.slice(2);
const expected = Number(expectArg);
const client = await mqtt.connectAsync(url!, { protocolVersion: 5, username, password, clientId: `bench-raw-${process.pid}`, clean: true });
let n = 0;
let first = 0;
client.on('message', () => {
  if (n === 0) first = performance.now();
  n++;
  if (n === expected) {
    console.log(`done ${n} ${(performance.now() - first).toFixed(1)}`);
    void client.endAsync().then(() => process.exit(0));
  }
});
await client.subscribeAsync(filter!, { qos: 1 });
console.log('ready');
