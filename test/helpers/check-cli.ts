/**
 * `lotse` from the sources with a fake validator registered for gtfs (and only for it): what the check command's
 * integration test runs as a child process. Production code has no such hook; the registry object is filled here,
 * in the test's own process, before the CLI starts.
 */
import { run } from '../../src/cli.js';
import { VALIDATORS } from '../../src/market/conformance/registry.js';
import { fakeValidator } from './fake-validator.js';

VALIDATORS.gtfs = fakeValidator('gtfs');
await run(process.argv.slice(2));
