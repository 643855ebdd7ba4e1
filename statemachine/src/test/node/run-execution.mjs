// Runs one execution of an ASL definition in aws-local-stepfunctions and prints one JSON object per line on stdout:
// every event of the execution's event log, then {"type":"Result","output":...} or {"type":"Error",...}.
//
// Usage: node run-execution.mjs <definition.asl.json> <request.json>
// request.json: {"substitutions": {"Name": "value"}, "input": {...}, "executionName": "...",
//                "waitTimeOverrides": {"State": ms}, "retryIntervalOverrides": {"State": ms}}
// Task states whose Resource is a Lambda ARN are invoked through AWS_ENDPOINT_URL_LAMBDA (set by the caller).
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, requestFile] = process.argv.slice(2);
if (!definitionFile || !requestFile) {
  console.error('usage: node run-execution.mjs <definition.asl.json> <request.json>');
  process.exit(2);
}
const request = JSON.parse(readFileSync(requestFile, 'utf8'));

// The same substitution CloudFormation's DefinitionSubstitutions does: every ${Name} must have a value.
const text = readFileSync(definitionFile, 'utf8').replace(/\$\{([A-Za-z0-9_]+)\}/g, (placeholder, name) => {
  if (!Object.hasOwn(request.substitutions, name)) {
    throw new Error(`no substitution for ${placeholder}`);
  }
  return request.substitutions[name];
});

const stateMachine = new StateMachine(JSON.parse(text), {
  awsConfig: {
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeys: { accessKeyId: 'test', secretAccessKey: 'test' } },
  },
});
const execution = stateMachine.run(request.input, {
  overrides: {
    waitTimeOverrides: request.waitTimeOverrides ?? {},
    retryIntervalOverrides: request.retryIntervalOverrides ?? {},
  },
  context: { Execution: { Name: request.executionName ?? 'local', Input: request.input } },
});

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const logged = (async () => {
  for await (const event of execution.eventLogs) {
    print({
      type: event.type,
      timestamp: event.timestamp,
      state: event.state?.name,
      stateType: event.state?.type,
      input: event.state?.input ?? event.input,
      output: event.state?.output ?? event.output,
      error: event.Error,
      cause: event.Cause === undefined ? undefined
        : (typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause)),
      retryAttempt: event.retry?.attempt,
    });
  }
})();

try {
  const output = await execution.result;
  await logged;
  print({ type: 'Result', output });
} catch (error) {
  await logged.catch(() => {});
  print({ type: 'Error', error: error.name, cause: error.message });
}
