/**
 * @module
 * The API server's admission chain: the webhooks' mutating phase, then the validating phase in
 * kube-apiserver's plugin order — ValidatingAdmissionPolicy before ValidatingAdmissionWebhook
 * (kube-apiserver's AllOrderedPlugins). Active while either has configuration, so a write with none
 * skips admission altogether.
 */
import type { AdmissionAttributes } from './attributes.js';
import type { AdmissionChain, AdmissionOutcome } from './dispatcher.js';

/** The validating phase of a policy plugin. */
export interface ValidatingPhase {
  active(): boolean;
  validate(attributes: AdmissionAttributes): Promise<readonly string[]>;
}

export class CompositeAdmissionChain implements AdmissionChain {
  constructor(
    private readonly policies: ValidatingPhase,
    private readonly webhooks: AdmissionChain,
  ) {}

  active(): boolean {
    return this.webhooks.active() || this.policies.active();
  }

  admit(attributes: AdmissionAttributes): Promise<AdmissionOutcome> {
    if (!this.webhooks.active()) return Promise.resolve({ object: attributes.object, warnings: [] });
    return this.webhooks.admit(attributes);
  }

  validate(attributes: AdmissionAttributes): Promise<readonly string[]> {
    if (!this.policies.active()) return this.webhooks.validate(attributes);
    if (!this.webhooks.active()) return this.policies.validate(attributes);
    return this.validateBoth(attributes);
  }

  /** Policies first: a policy's refusal means no validating webhook is called. */
  private async validateBoth(attributes: AdmissionAttributes): Promise<readonly string[]> {
    const policyWarnings = await this.policies.validate(attributes);
    const webhookWarnings = await this.webhooks.validate(attributes);
    return policyWarnings.length === 0 ? webhookWarnings : [...policyWarnings, ...webhookWarnings];
  }
}
