import { createSingleFlight } from '../../src/cache/singleflight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('shares one run between identical keys in flight', async () => {
    const flight = createSingleFlight();
    const gate = deferred<string>();
    let runs = 0;
    const fn = () => {
      runs += 1;
      return gate.promise;
    };
    const calls = Array.from({ length: 10 }, () => flight.run('k', fn));
    gate.resolve('value');
    expect(await Promise.all(calls)).toEqual(Array(10).fill('value'));
    expect(runs).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const flight = createSingleFlight();
    const [a, b] = await Promise.all([flight.run('a', async () => 'A'), flight.run('b', async () => 'B')]);
    expect([a, b]).toEqual(['A', 'B']);
  });

  it('drops the entry once settled, so the next call runs again', async () => {
    const flight = createSingleFlight();
    let runs = 0;
    const fn = async () => ++runs;
    expect(await flight.run('k', fn)).toBe(1);
    expect(await flight.run('k', fn)).toBe(2);
  });

  it('gives every joiner the same rejection and forgets the failure', async () => {
    const flight = createSingleFlight();
    const gate = deferred<string>();
    const boom = new Error('boom');
    const calls = Array.from({ length: 3 }, () => flight.run('k', () => gate.promise));
    gate.reject(boom);
    for (const call of calls) await expect(call).rejects.toBe(boom);
    await expect(flight.run('k', async () => 'ok')).resolves.toBe('ok');
  });

  it('turns a synchronous throw into a rejection', async () => {
    const flight = createSingleFlight();
    const boom = new Error('sync');
    await expect(
      flight.run('k', () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expect(flight.run('k', async () => 1)).resolves.toBe(1);
  });
});
