import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskEnv } from '../../common/capture.js';

test('capture headers mask secret-looking keys and credentials in URL values (F13)', () => {
  assert.deepEqual(
    maskEnv(['DATABASE_URL=postgres://u:hunter2@db/x', 'MYSQL_PWD=pw1', 'REDIS_URL=redis://:pw2@cache:6379', 'DB_PASSWD=x', 'api_key=lower', 'HOME=/root', 'SITE=http://example.test/a@b']),
    ['DATABASE_URL=postgres://u:***@db/x', 'MYSQL_PWD=***', 'REDIS_URL=redis://:***@cache:6379', 'DB_PASSWD=***', 'api_key=***', 'HOME=/root', 'SITE=http://example.test/a@b'],
  );
});
