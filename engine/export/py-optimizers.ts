import type { OptimizerKind } from '../optim/schema';

/**
 * Python for the optimizers of engine/optim. torch.optim where its algorithm is the engine's
 * (SGD, momentum and Nesterov in PyTorch's form, Adam and AdamW with ε outside √v̂ and decoupled
 * decay of every parameter, RMSProp, Adagrad); small classes for LAMB, LARS, Lion and Muon.
 * Each optimizer's group carries `base_lr`; the loop sets `lr = base_lr · schedule multiplier`.
 */

const PY_LAMB = String.raw`
def adaptable(p, role, exclude):
    """LAMB/LARS: all but rank-0/1 tensors and biases and norm parameters, unless exclude is off."""
    return (not exclude) or (p.dim() >= 2 and role not in ("bias", "norm"))


def trust_ratio(w, u, coefficient):
    w_norm, u_norm = w.norm(), u.norm()
    if w_norm > 0 and u_norm > 0:
        return coefficient * w_norm / u_norm
    return torch.ones((), device=w.device)


class Lamb(torch.optim.Optimizer):
    """u = m_hat/(sqrt(v_hat) + eps) + lambda w;  r = |w|/|u|;  w <- w - lr r u (excluded: r = 1, no lambda)."""

    def __init__(self, named, roles, lr, betas, eps, weight_decay, exclude):
        self.roles = [roles[n] for n, _ in named]
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, exclude=exclude)
        super().__init__([p for _, p in named], defaults)

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p, role in zip(group["params"], self.roles):
                state = self.state[p]
                if not state:
                    state.update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["t"] += 1
                t, g = state["t"], p.grad
                state["m"] = state["m"] * b1 + g * (1 - b1)
                state["v"] = state["v"] * b2 + g * g * (1 - b2)
                m_hat = state["m"] * (1 / (1 - b1 ** t))
                v_hat = state["v"] * (1 / (1 - b2 ** t))
                u = m_hat / (torch.sqrt(v_hat) + group["eps"])
                if adaptable(p, role, group["exclude"]):
                    if group["weight_decay"] != 0:
                        u = u + p * group["weight_decay"]
                    u = u * trust_ratio(p, u, 1.0)
                p.add_(u * -group["lr"])
`;

const PY_LARS = String.raw`
def adaptable(p, role, exclude):
    """LAMB/LARS: all but rank-0/1 tensors and biases and norm parameters, unless exclude is off."""
    return (not exclude) or (p.dim() >= 2 and role not in ("bias", "norm"))


def trust_ratio(w, u, coefficient):
    w_norm, u_norm = w.norm(), u.norm()
    if w_norm > 0 and u_norm > 0:
        return coefficient * w_norm / u_norm
    return torch.ones((), device=w.device)


class Lars(torch.optim.Optimizer):
    """g' = g + lambda w;  r = eta_tc |w|/|g'|;  v <- mu v + lr r g';  w <- w - v (Nesterov: - (lr r g' + mu v))."""

    def __init__(self, named, roles, lr, momentum, trust_coefficient, weight_decay, nesterov, exclude):
        self.roles = [roles[n] for n, _ in named]
        defaults = dict(lr=lr, momentum=momentum, trust_coefficient=trust_coefficient,
                        weight_decay=weight_decay, nesterov=nesterov, exclude=exclude)
        super().__init__([p for _, p in named], defaults)

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            mu = group["momentum"]
            for p, role in zip(group["params"], self.roles):
                state = self.state[p]
                if not state:
                    state["v"] = torch.zeros_like(p)
                u = p.grad
                if adaptable(p, role, group["exclude"]):
                    if group["weight_decay"] != 0:
                        u = u + p * group["weight_decay"]
                    u = u * trust_ratio(p, u, group["trust_coefficient"])
                u = u * -group["lr"]
                state["v"] = state["v"] * mu + u
                p.add_(u + state["v"] * mu if group["nesterov"] else state["v"])
`;

const PY_LION = String.raw`
class Lion(torch.optim.Optimizer):
    """c = b1 m + (1 - b1) g;  w <- w - lr (sign(c) + lambda w);  m <- b2 m + (1 - b2) g."""

    def __init__(self, params, lr, betas, weight_decay):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                state = self.state[p]
                if not state:
                    state["m"] = torch.zeros_like(p)
                g, m = p.grad, state["m"]
                u = torch.sign(m * b1 + g * (1 - b1))
                if group["weight_decay"] != 0:
                    u = u + p * group["weight_decay"]
                state["m"] = m * b2 + g * (1 - b2)
                p.add_(u * -group["lr"])
`;

const PY_MUON = String.raw`
NS_COEFFICIENTS = (3.4445, -4.775, 2.0315)


def newton_schulz(g, steps):
    """X = G/(|G|_F + 1e-7), transposed when tall; steps x: A = X X^T, X = aX + (bA + cA^2) X. float32."""
    a, b, c = NS_COEFFICIENTS
    tall = g.shape[0] > g.shape[1]
    x = g / (g.norm() + 1e-7)
    if tall:
        x = x.T
    for _ in range(steps):
        A = x @ x.T
        B = A * b + (A @ A) * c
        x = x * a + B @ x
    return x.T if tall else x


class Muon(torch.optim.Optimizer):
    """Hidden matrices: m <- beta m + (1 - beta) g; u = (1 - beta) g + beta m (Nesterov) or m;
    O = NS(u) sqrt(max(1, out/in)); w <- w - lr (O + lambda w). Kernels are [in, out] as in the engine."""

    def __init__(self, params, lr, beta, nesterov, ns_steps, weight_decay):
        defaults = dict(lr=lr, beta=beta, nesterov=nesterov, ns_steps=ns_steps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta = group["beta"]
            for p in group["params"]:
                state = self.state[p]
                if not state:
                    state["m"] = torch.zeros_like(p)
                g = p.grad
                state["m"] = state["m"] * beta + g * (1 - beta)
                u = g * (1 - beta) + state["m"] * beta if group["nesterov"] else state["m"]
                cols = u.shape[-1]
                rows = u.numel() // cols
                o = newton_schulz(u.reshape(rows, cols), group["ns_steps"]) * math.sqrt(max(1.0, cols / rows))
                o = o.reshape(u.shape)
                if group["weight_decay"] != 0:
                    o = o + p * group["weight_decay"]
                p.add_(o * -group["lr"])
`;

/** The statement that builds `optimizers` (a list) from `named` (name, parameter) and `roles`. */
const PY_BUILD: Record<OptimizerKind, string> = {
  sgd: 'optimizers = [torch.optim.SGD(params, lr=o["lr"])]',
  momentum: 'optimizers = [torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"])]',
  nesterov:
    'optimizers = [torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], nesterov=True)]',
  adam: 'optimizers = [torch.optim.Adam(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"])]',
  adamw: String.raw`optimizers = [torch.optim.AdamW(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"],
                                  weight_decay=o["weightDecay"])]`,
  rmsprop: String.raw`optimizers = [torch.optim.RMSprop(params, lr=o["lr"], alpha=o["decay"], eps=o["eps"],
                                    momentum=o["momentum"])]`,
  adagrad: String.raw`optimizers = [torch.optim.Adagrad(params, lr=o["lr"], initial_accumulator_value=o["initialAccumulator"],
                                    eps=o["eps"])]`,
  lamb: String.raw`optimizers = [Lamb(named, roles, o["lr"], (o["beta1"], o["beta2"]), o["eps"], o["weightDecay"],
                        o["excludeBiasAndNorm"])]`,
  lars: String.raw`optimizers = [Lars(named, roles, o["lr"], o["momentum"], o["trustCoefficient"], o["weightDecay"],
                        o["nesterov"], o["excludeBiasAndNorm"])]`,
  lion: 'optimizers = [Lion(params, o["lr"], (o["beta1"], o["beta2"]), o["weightDecay"])]',
  muon: String.raw`hidden = [p for n, p in named if p.dim() >= 2 and roles[n] == "kernel"]
    rest = [p for n, p in named if not (p.dim() >= 2 and roles[n] == "kernel")]
    optimizers = [Muon(hidden, o["lr"], o["beta"], o["nesterov"], o["nsSteps"], o["weightDecay"])] if hidden else []
    if rest:  # AdamW for embeddings, head, biases, norms and routers
        optimizers.append(torch.optim.AdamW(rest, lr=o["adamLr"], betas=(o["adamBeta1"], o["adamBeta2"]),
                                            eps=o["adamEps"], weight_decay=o["adamWeightDecay"]))`,
};

const PY_CLASSES: Partial<Record<OptimizerKind, string>> = {
  lamb: PY_LAMB,
  lars: PY_LARS,
  lion: PY_LION,
  muon: PY_MUON,
};

/** The optimizer's classes (when torch lacks it) and `make_optimizers(named, roles, o)`. */
export function pyOptimizer(kind: OptimizerKind): string {
  return `${PY_CLASSES[kind] ?? ''}

def make_optimizers(named, roles, o):
    """The run's optimizer; each group keeps its configured rate as base_lr for the schedule."""
    params = [p for _, p in named]
    ${PY_BUILD[kind]}
    for opt in optimizers:
        for group in opt.param_groups:
            group["base_lr"] = group["lr"]
    return optimizers
`;
}
