/**
 * @module
 * CEL cost limits and the runtime cost meter. Upstream charges every interpreted step and every
 * function call a cost (cel-go interpreter/runtimecost.go; k8s.io/apiserver/pkg/cel/library/cost.go)
 * and aborts an expression whose actual cost passes the per-call limit, and a custom resource whose
 * rules together pass the per-request budget (k8s.io/apiserver/pkg/apis/cel/config.go).
 *
 * Here the cost of an evaluation is the number of AST nodes the interpreter visits (each iteration of
 * a macro visits its body again) plus, for the library functions that traverse strings or lists, a
 * tenth of a unit per character or element as upstream's cost.go charges. That is close to cel-go's
 * actual cost for the expressions CRDs use, not identical to it.
 */

/** PerCallLimit: the actual cost one expression may reach. */
export const PER_CALL_LIMIT = 1_000_000;
/** RuntimeCELCostBudget: the cost all rules of one custom resource may reach together. */
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;
/** StaticEstimatedCostLimit: the estimated cost one rule may have at CRD creation. */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
/** StaticEstimatedCRDCostLimit: the estimated cost all rules of a CRD may have together. */
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
/** MaxEvaluatedMessageExpressionSizeBytes. */
export const MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES = 5 * 1024;

/** cel-go's error text when the per-call limit is hit; upstream matches on its prefix. */
export const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

/** Thrown inside an evaluation when the meter passes its limit. */
export class CostLimitExceededError extends Error {
  constructor() {
    super(COST_LIMIT_EXCEEDED);
    this.name = 'CostLimitExceededError';
  }
}

/**
 * Counts the cost of one evaluation. Invariant: once `exceeded` is true every further charge throws,
 * so an evaluation that swallows one error (CEL's `||` and `all` absorb errors) still stops soon.
 */
export class CostMeter {
  used = 0;
  exceeded = false;
  constructor(readonly limit: number) {}

  charge(units: number): void {
    this.used += units;
    if (this.used > this.limit) {
      this.exceeded = true;
      throw new CostLimitExceededError();
    }
  }
}

/** The meter of the evaluation under way; evaluation is synchronous, so one slot suffices. */
let active: CostMeter | undefined;

export function activeMeter(): CostMeter | undefined {
  return active;
}

/** Runs `fn` with `meter` charged for every step. */
export function withMeter<T>(meter: CostMeter, fn: () => T): T {
  const previous = active;
  active = meter;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Charges the active meter for traversing `size` characters or elements (cost factor 0.1). */
export function chargeTraversal(size: number): void {
  active?.charge(Math.ceil(size * 0.1));
}

/** getCostErrorMessage (apiextensions validation.go). */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const shown = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
