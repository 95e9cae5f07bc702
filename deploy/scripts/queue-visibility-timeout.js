'use strict';

// The message queue's VisibilityTimeout, derived from the function timeout so that no choice of
// parameters synthesizes a stack AWS refuses or that redelivers work still in progress. Lambda
// refuses an SQS event source whose queue hides a message for less than the function timeout, and
// AWS's guide asks for at least six times it (a batch may be retried while the function is throttled).
// Lambda's timeout is at most 900 s, SQS's visibility timeout at most 43200 s (12 hours).

const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
// The function starts no message after deadline - DeadlineSafetyMargin (2 s by default, and the
// deployment does not change it), so a timeout of 2 s or less would never process one.
const MIN_TIMEOUT_SECONDS = 3;
const SQS_MAX_VISIBILITY_TIMEOUT_SECONDS = 43200;

function visibilityTimeoutFor(functionTimeout) {
  const seconds = Number(functionTimeout);
  if (!Number.isInteger(seconds) || seconds < MIN_TIMEOUT_SECONDS || seconds > LAMBDA_MAX_TIMEOUT_SECONDS) {
    throw new Error(
      `functionTimeout must be a whole number of seconds from ${MIN_TIMEOUT_SECONDS} (more than the function's 2 s deadline safety margin) to ${LAMBDA_MAX_TIMEOUT_SECONDS} (Lambda's limit); got '${functionTimeout}'`,
    );
  }

  return Math.min(VISIBILITY_PER_FUNCTION_TIMEOUT * seconds, SQS_MAX_VISIBILITY_TIMEOUT_SECONDS);
}

// serverless.yml: VisibilityTimeout: ${file(./scripts/queue-visibility-timeout.js)}
module.exports = async ({ resolveVariable }) => visibilityTimeoutFor(await resolveVariable('param:functionTimeout'));
module.exports.visibilityTimeoutFor = visibilityTimeoutFor;
