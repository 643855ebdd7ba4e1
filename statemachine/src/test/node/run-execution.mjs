// Runs one execution of an ASL definition in aws-local-stepfunctions and prints one JSON object per line on stdout:
// every event of the execution's event log, then {"type":"Result","output":...} or {"type":"Error",...}.
//
// Usage: node run-execution.mjs <definition.asl.json> <request.json>
// request.json: {"substitutions": {"Name": "value"}, "input": {...}, "executionName": "...",
//                "waitTimeOverrides": {"State": ms}, "retryIntervalOverrides": {"State": ms}}
//                "children": {"State": {"definition": "<file>", "substitutions": {...}, "mode": "sync"|"async"}},
//                "existingExecutionNames": ["..."]}
// Task states whose Resource is a Lambda ARN are invoked through AWS_ENDPOINT_URL_LAMBDA (set by the caller).
// A Task state named in "children" starts another state machine as Step Functions' startExecution integrations do:
// "sync" runs the child definition to its end in this interpreter and returns {Output, Status, ExecutionArn} as
// startExecution.sync:2 does (a failed child fails the Task with States.TaskFailed and the child's
// {"Error","Cause"} as the cause); "async" records the start (a {"type":"ChildStarted"} line) and returns
// {ExecutionArn, StartDate} without running it. A Name already used (in this run or in existingExecutionNames)
// fails with StepFunctions.ExecutionAlreadyExistsException, as StartExecution does for a closed execution's name.
// Child and Map-iteration events are printed too, with "child" (the child execution's name) and "index".
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, requestFile] = process.argv.slice(2);
if (!definitionFile || !requestFile) {
  console.error('usage: node run-execution.mjs <definition.asl.json> <request.json>');
  process.exit(2);
}
const request = JSON.parse(readFileSync(requestFile, 'utf8'));

// The same substitution CloudFormation's DefinitionSubstitutions does: every ${Name} must have a value.
const substitute = (file, substitutions) => JSON.parse(readFileSync(file, 'utf8')
  .replace(/\$\{([A-Za-z0-9_]+)\}/g, (placeholder, name) => {
    if (!Object.hasOwn(substitutions, name)) {
      throw new Error(`no substitution for ${placeholder} in ${file}`);
    }
    return substitutions[name];
  }));
const machineOptions = {
  awsConfig: {
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeys: { accessKeyId: 'test', secretAccessKey: 'test' } },
  },
};
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const printEvents = async (eventLogs, child) => {
  for await (const event of eventLogs) {
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
      index: event.index,
      child,
    });
  }
};

const usedNames = new Set(request.existingExecutionNames ?? []);
let children = 0;
const overrides = {
  waitTimeOverrides: request.waitTimeOverrides ?? {},
  retryIntervalOverrides: request.retryIntervalOverrides ?? {},
  taskResourceLocalHandlers: {},
};
const named = (error, message) => Object.assign(new Error(message), { name: error });
for (const [stateName, child] of Object.entries(request.children ?? {})) {
  const definition = substitute(child.definition, child.substitutions ?? {});
  overrides.taskResourceLocalHandlers[stateName] = async (input) => {
    const name = input.Name ?? `child-${++children}-${Date.now()}`;
    if (usedNames.has(name)) {
      throw named('StepFunctions.ExecutionAlreadyExistsException', `Execution Already Exists: '${name}'`);
    }
    usedNames.add(name);
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:child:${name}`;
    if (child.mode === 'async') {
      print({ type: 'ChildStarted', child: name, input: input.Input });
      return { ExecutionArn: executionArn, StartDate: new Date().toISOString() };
    }
    const run = new StateMachine(definition, machineOptions).run(input.Input, {
      overrides: { waitTimeOverrides: overrides.waitTimeOverrides,
        retryIntervalOverrides: overrides.retryIntervalOverrides },
      context: { Execution: { Name: name, Input: input.Input } },
    });
    let failed;
    const childLog = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'ExecutionFailed') {
          failed = { Error: event.Error, Cause: event.Cause };
        }
        await printEvents([event], name);
      }
    })();
    try {
      const output = await run.result;
      await childLog;
      return { ExecutionArn: executionArn, Output: output, Status: 'SUCCEEDED' };
    } catch (error) {
      await childLog.catch(() => {});
      throw named('States.TaskFailed', JSON.stringify(failed ?? { Error: error.name, Cause: error.message }));
    }
  };
}

const stateMachine = new StateMachine(substitute(definitionFile, request.substitutions), machineOptions);
const execution = stateMachine.run(request.input, {
  overrides,
  context: { Execution: { Name: request.executionName ?? 'local', Input: request.input } },
});
const logged = printEvents(execution.eventLogs, undefined);

try {
  const output = await execution.result;
  await logged;
  print({ type: 'Result', output });
} catch (error) {
  await logged.catch(() => {});
  print({ type: 'Error', error: error.name, cause: error.message });
}
