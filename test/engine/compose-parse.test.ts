/** The compose subset: what is read, what is reported as unsupported, what is an error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseCompose, splitCommand } from '../../electron/engine/compose.js';
import { EngineError } from '../../electron/engine/index.js';

test('the trio fixture: services in dependency order, environment, working_dir, default network', async () => {
  const p = parseCompose(await readFile('test/fixtures/compose/trio.yaml', 'utf8'));
  assert.deepEqual(p.services.map((s) => s.name), ['cache', 'web', 'client']);
  const client = p.services[2]!;
  assert.deepEqual([client.environment, client.workingDir, client.networks, client.dependsOn], [['GREETING=hello'], '/tmp', ['default'], ['cache', 'web']]);
  assert.deepEqual(p.services[1]!.command, ['nginx', '-g', 'daemon off;']);
  assert.deepEqual(p.warnings, []);
});

test('unsupported keys are reported, never ignored silently', async () => {
  const p = parseCompose(await readFile('test/fixtures/compose/unsupported.yaml', 'utf8'));
  assert.deepEqual(p.warnings.sort(), ['secrets: not supported, ignored', 'services.app.healthcheck: not supported, ignored', 'services.app.restart: not supported, ignored', 'services.app.secrets: not supported, ignored']);
  assert.deepEqual(p.services[0]!.command, ['echo', 'ok']);
});

test('networks, entrypoint strings, environment maps, depends_on conditions', () => {
  const p = parseCompose(`
services:
  a:
    image: x
    entrypoint: /bin/sh -c 'echo "a b"'
    environment: { A: 1, B: null }
    networks: [front, back]
    user: "1000:1000"
    depends_on: { b: { condition: service_healthy } }
  b: { image: y, ports: ["8080:80", 9000] }
networks: { front: {}, back: { driver: overlay } }
`);
  const a = p.services.find((s) => s.name === 'a')!;
  assert.deepEqual(a.entrypoint, ['/bin/sh', '-c', 'echo "a b"']);
  // `B` without a value takes the host's value, as compose does; unset on the host, it is left out.
  assert.deepEqual(a.environment, ['A=1']);
  assert.deepEqual([a.networks, a.user], [['front', 'back'], '1000:1000']);
  assert.deepEqual(p.services.find((s) => s.name === 'b')!.ports, ['8080:80', '9000']);
  assert.deepEqual(p.services.map((s) => s.name), ['b', 'a']);
  assert.deepEqual(p.warnings, ['networks.back.driver: not supported, ignored (every run gets fresh bridge networks)', 'services.a.depends_on.b.condition: service_healthy is treated as service_started']);
});

test('errors: no services, build only, unknown network, unknown dependency, cycles, bad YAML', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parseCompose(text), (e: EngineError) => e.code === 'compose-invalid' && re.test(e.message), text);
  bad('services: {}', /no services/);
  bad('services:\n  a:\n    build: .', /build is not supported/);
  bad('services:\n  a:\n    image: x\n    networks: [nope]', /not declared/);
  bad('services:\n  a:\n    image: x\n    depends_on: [b]', /unknown service/);
  bad('services:\n  a: { image: x, depends_on: [b] }\n  b: { image: y, depends_on: [a] }', /cycle/);
  bad('services: [', /not valid YAML/);
  bad('services:\n  a:\n    image: x\n    ports: [{ target: 80 }]', /short syntax/);
});

test('command strings split like a shell, without expansion', () => {
  assert.deepEqual(splitCommand(`sh -c 'echo $HOME' "a \\"b\\"" c\\ d`), ['sh', '-c', 'echo $HOME', 'a "b"', 'c d']);
  assert.throws(() => splitCommand(`echo 'open`));
});

test('interpolation as compose does it: $$, ${VAR}, defaults, required; KEY alone from the host', () => {
  const p = parseCompose(`
services:
  a:
    image: "busybox:\${TAG:-1.36}"
    command: ["sh", "-c", "echo $$HOME \${GREETING} $NAME \${EMPTY:-fallback} \${EMPTY-kept} \${NAME:+set}"]
    environment: [TOKEN, MISSING, PLAIN=1]
`, { GREETING: 'hi', NAME: 'imprint', EMPTY: '', TOKEN: 's3cret' });
  const a = p.services[0]!;
  assert.equal(a.image, 'busybox:1.36');
  assert.deepEqual(a.command, ['sh', '-c', 'echo $HOME hi imprint fallback  set']);
  assert.deepEqual(a.environment, ['TOKEN=s3cret', 'PLAIN=1']);
  assert.deepEqual(p.warnings, []);
  const unset = parseCompose('services: { a: { image: x, command: "echo $NOPE" } }');
  assert.deepEqual(unset.services[0]!.command, ['echo']);
  assert.deepEqual(unset.warnings, ['the NOPE variable is not set: it is a blank string']);
  assert.throws(() => parseCompose('services: { a: { image: "\${IMAGE:?set IMAGE to the image under test}" } }'), /IMAGE is required: set IMAGE to the image under test/);
});

test('YAML merge keys share settings between services', () => {
  const p = parseCompose(`
x-common: &common
  image: imprint-fixture/busybox:latest
  environment: { SHARED: "1" }
services:
  a:
    <<: *common
    command: ["sh", "-c", "echo $$SHARED"]
`);
  assert.equal(p.services[0]!.image, 'imprint-fixture/busybox:latest');
  assert.deepEqual(p.services[0]!.environment, ['SHARED=1']);
  assert.deepEqual(p.services[0]!.command, ['sh', '-c', 'echo $SHARED']);
});

test('a .env file next to the compose file, overridden by the shell', async () => {
  const { parseDotEnv } = await import('../../electron/engine/compose-interpolate.js');
  assert.deepEqual(parseDotEnv('# comment\nA=1\nexport B="two words"\nC=3 # note\nbad line\n'), { A: '1', B: 'two words', C: '3' });
});
