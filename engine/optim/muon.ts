import { adamw } from './adamw';
import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { hiddenMatrixMask, type Roles } from './masks';
import { orthogonalizeNewtonSchulz } from './orthogonalize-newton-schulz';
import { partition } from './partition';
import { relativeLr, scaleByLearningRate } from './scale-by-learning-rate';
import { trace } from './trace';
import type { GradientTransformation } from './transform';

export interface MuonOptions {
  /** η for hidden matrices (0.02). */
  readonly lr?: number;
  /** β, momentum as an EMA (0.95). */
  readonly beta?: number;
  /** Nesterov: orthogonalize (1−β)·g + β·m instead of m (true). */
  readonly nesterov?: boolean;
  /** Newton–Schulz iterations (5). */
  readonly nsSteps?: number;
  /** λ for hidden matrices, decoupled (0). */
  readonly weightDecay?: number;
  /** The AdamW side, for everything else: η 3e-4, β (0.9, 0.95), ε 1e-10, λ 0. */
  readonly adamLr?: number;
  readonly adamBeta1?: number;
  readonly adamBeta2?: number;
  readonly adamEps?: number;
  readonly adamWeightDecay?: number;
  /** With roles, only 'kernel' matrices use Muon; without, every tensor of rank ≥ 2 does. */
  readonly roles?: Roles;
}

/**
 * Muon (Jordan et al., https://kellerjordan.github.io/posts/muon/; reference KellerJordan/Muon
 * muon.py; the fast-weight update of LaCT, https://arxiv.org/abs/2505.23884), hidden matrices:
 *   m ← β·m + (1−β)·g;  u = (1−β)·g + β·m (Nesterov) or m;  O = NS₅(u)·√max(1, out/in);
 *   w ← w·(1 − ηλ) − η·O.  Embeddings, head, biases, norms and routers use AdamW.
 * A learning rate given to an update is Muon's η; the AdamW side gets it times adamLr/lr.
 */
export function muon({
  lr = 0.02,
  beta = 0.95,
  nesterov = true,
  nsSteps = 5,
  weightDecay = 0,
  adamLr = 3e-4,
  adamBeta1 = 0.9,
  adamBeta2 = 0.95,
  adamEps = 1e-10,
  adamWeightDecay = 0,
  roles,
}: MuonOptions = {}): GradientTransformation {
  const isHidden = hiddenMatrixMask(roles);
  return partition((name, param) => (isHidden(name, param) ? 'muon' : 'adam'), {
    muon: chain(
      trace({ decay: beta, nesterov, ema: true }),
      orthogonalizeNewtonSchulz({ steps: nsSteps }),
      addDecayedWeights({ weightDecay }),
      scaleByLearningRate(lr),
    ),
    adam: relativeLr(
      adamLr / lr,
      adamw({
        lr: adamLr,
        beta1: adamBeta1,
        beta2: adamBeta2,
        eps: adamEps,
        weightDecay: adamWeightDecay,
      }),
    ),
  });
}
