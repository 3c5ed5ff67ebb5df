/**
 * Python for the layers every model shares: activations, norms (channels last, as the engine),
 * dense, conv, attention and the fake-quantization hooks. Kernels keep the engine's layout
 * (dense `[in, out]`, conv `[kh, kw, Cin, Cout]`), so the engine's weights load unchanged.
 */

/** Straight-through fake quantization: the formats of engine/quant, the same rounding. */
export const PY_QUANT = String.raw`
FLOAT_FORMATS = {  # mantissa bits, exponent bias, largest finite value
    "bf16": (7, 127, (2 - 2 ** -7) * 2 ** 127),
    "fp16": (10, 15, 65504.0),
    "e4m3": (3, 7, 448.0),
    "e5m2": (2, 15, 57344.0),
}


def float_format(x, fmt, per_tensor_scaling):
    """Round to the nearest value of fmt, ties to even, saturating at its largest value."""
    m, bias, largest = FLOAT_FORMATS[fmt]
    if per_tensor_scaling and fmt != "bf16":
        amax = x.abs().max()
        s = torch.where(amax > 0, largest / amax.clamp_min(1e-30), torch.ones_like(amax))
        return float_format(x * s, fmt, False) / s
    a = x.abs()
    _, e = torch.frexp(a.clamp_min(2.0 ** -126))
    e = (e - 1).clamp(1 - bias, 127)
    q = torch.ldexp(torch.ones_like(a), e - m)
    return torch.sign(x) * torch.minimum(torch.round(a / q) * q, torch.tensor(largest, dtype=x.dtype))


def symmetric_int(x, bits):
    qmax = 2 ** (bits - 1) - 1
    s = x.abs().max().clamp_min(1e-30) / qmax
    return torch.clamp(torch.round(x / s), -qmax, qmax) * s


def lower_median(x):
    flat = x.reshape(-1)
    return torch.sort(flat).values[(flat.numel() - 1) // 2]


def ternary(w, scale):
    a = w.abs()
    gamma = (a.mean() if scale == "absmean" else lower_median(a)).clamp_min(1e-5)
    return torch.clamp(torch.round(w / gamma), -1, 1) * gamma


def absmax_int8(x, levels):
    s = levels / x.abs().amax(dim=-1, keepdim=True).clamp_min(1e-5)
    return torch.clamp(torch.round(x * s), -128, 127) / s


class StraightThrough(torch.autograd.Function):
    """Forward q(x), backward the gradient unchanged."""

    @staticmethod
    def forward(ctx, x, q):
        return q(x)

    @staticmethod
    def backward(ctx, dy):
        return dy, None


class RoundGradient(torch.autograd.Function):
    """Forward the identity, backward the gradient rounded by q."""

    @staticmethod
    def forward(ctx, x, q):
        ctx.q = q
        return x.clone()

    @staticmethod
    def backward(ctx, dy):
        return ctx.q(dy), None


class Quantizer:
    """The hooks layers call on their weights, inputs and products, as engine/quant/from-config.ts."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.roles = {}

    def quantizes(self, role):
        return role == "kernel" or (self.cfg["quantizeEmbeddingAndHead"] and role in ("embedding", "head"))

    def quantized(self, layer):
        return layer in self.roles and self.quantizes(self.roles[layer])

    def weight(self, w, role, name):
        self.roles[name.rsplit("/", 1)[0]] = role
        fmt = self.cfg["weights"]
        if fmt == "none" or not self.quantizes(role):
            return w
        if fmt.startswith("ternary-"):
            q = lambda t: ternary(t, fmt[len("ternary-"):])
        elif fmt in ("int8", "int4"):
            q = lambda t: symmetric_int(t, int(fmt[3:]))
        else:
            q = lambda t: float_format(t, fmt, self.cfg["perTensorScaling"])
        return StraightThrough.apply(w, q)

    def activation(self, x, name):
        fmt = self.cfg["activations"]
        if fmt == "none" or not self.quantized(name):
            return x
        if fmt.startswith("int8-"):
            x = x * torch.rsqrt((x * x).mean(dim=-1, keepdim=True) + 1e-5)
            levels = float(fmt[len("int8-"):])
            return StraightThrough.apply(x, lambda t: absmax_int8(t, levels))
        return StraightThrough.apply(x, lambda t: float_format(t, fmt, self.cfg["perTensorScaling"]))

    def matmul(self, x, w, name):
        y = x @ w
        fmt = self.cfg["gradients"]
        if fmt != "none" and self.quantized(name):
            return RoundGradient.apply(y, lambda t: float_format(t, fmt, self.cfg["perTensorScaling"]))
        return y
`;

/** Activations and the norms of engine/layers/norm, on channels-last `[N, C]` or `[N, H, W, C]`. */
export const PY_NORMS = String.raw`
EPS = 1e-5
RUNNING_RATE = 0.1


def activate(kind, x):
    if kind == "relu":
        return torch.relu(x)
    if kind == "tanh":
        return torch.tanh(x)
    if kind == "sigmoid":
        return torch.sigmoid(x)
    if kind == "gelu":  # the tanh approximation
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    return x


def moments(x, dims):
    mean = x.mean(dim=dims, keepdim=True)
    return mean, ((x - mean) ** 2).mean(dim=dims, keepdim=True)


def as_image(x):
    return x if x.dim() == 4 else x.reshape(x.shape[0], 1, 1, x.shape[1])


def default_groups(c):
    return c // 4 if c % 4 == 0 else 1


def group_standardize(x, groups):
    n, h, w, c = x.shape
    g = x.reshape(n, h, w, groups, c // groups)
    mean, var = moments(g, (1, 2, 4))
    return ((g - mean) / torch.sqrt(var + EPS)).reshape(n, h, w, c)


def standardize_weight(w):
    """Weight Standardization over the fan-in (every axis but the last)."""
    mean, var = moments(w, tuple(range(w.dim() - 1)))
    return (w - mean) / (torch.sqrt(var) + EPS)


def norm_params(kind, name, c):
    """(name, shape, init, role) of a norm layer's parameters."""
    if kind == "none":
        return []
    if kind == "rms":
        return [(name + "/gamma", [c], "ones", "norm")]
    out = [(name + "/gamma", [c], "ones", "norm"), (name + "/beta", [c], "zeros", "norm")]
    if kind == "batch-channel":
        g = default_groups(c)
        out += [(name + "/groupGamma", [g], "ones", "norm"), (name + "/groupBeta", [g], "zeros", "norm")]
    return out


def norm_buffers(kind, name, c):
    return [(name + "/mean", [c], 0.0), (name + "/var", [c], 1.0)] if kind in ("batch", "batch-channel") else []


def norm(kind, net, name, x, training):
    if kind == "none":
        return x
    P, B = net.P, net.B
    x4 = as_image(x)
    c = x4.shape[3]
    if kind == "layer":
        mean, var = moments(x4, (1, 2, 3))
        y = (x4 - mean) / torch.sqrt(var + EPS) * P[name + "/gamma"] + P[name + "/beta"]
    elif kind == "rms":
        y = x4 / torch.sqrt((x4 * x4).mean(dim=(1, 2, 3), keepdim=True) + EPS) * P[name + "/gamma"]
    elif kind == "group":
        y = group_standardize(x4, default_groups(c)) * P[name + "/gamma"] + P[name + "/beta"]
    elif kind == "batch":
        if training:
            mean, var = moments(x4, (0, 1, 2))
            with torch.no_grad():
                rm, rv = B[name + "/mean"], B[name + "/var"]
                rm.copy_((1 - RUNNING_RATE) * rm + RUNNING_RATE * mean.reshape(-1))
                rv.copy_((1 - RUNNING_RATE) * rv + RUNNING_RATE * var.reshape(-1))
        else:
            mean, var = B[name + "/mean"], B[name + "/var"]
        y = (x4 - mean) / torch.sqrt(var + EPS) * P[name + "/gamma"] + P[name + "/beta"]
    elif kind == "batch-channel":
        mean, var = B[name + "/mean"].clone(), B[name + "/var"].clone()
        if training:
            xc = x4.detach()
            batch_mean = xc.mean(dim=(0, 1, 2))
            batch_sq = ((xc - mean) ** 2).mean(dim=(0, 1, 2))
            mean = (1 - RUNNING_RATE) * mean + RUNNING_RATE * batch_mean
            var = (1 - RUNNING_RATE) * var + RUNNING_RATE * batch_sq
            with torch.no_grad():
                B[name + "/mean"].copy_(mean)
                B[name + "/var"].copy_(var)
        bn = (x4 - mean) / torch.sqrt(var + EPS) * P[name + "/gamma"] + P[name + "/beta"]
        groups = default_groups(c)
        n, h, w, _ = x4.shape
        cn = group_standardize(bn, groups).reshape(n, h, w, groups, c // groups)
        y = cn * P[name + "/groupGamma"].reshape(groups, 1) + P[name + "/groupBeta"].reshape(groups, 1)
    else:
        raise ValueError(kind)
    return y.reshape(x.shape)
`;

/** Dense, linear, conv, pooling, embedding and attention, with the quantizer's hooks. */
export const PY_LAYERS = String.raw`
def dense(net, name, x, act, q, role="kernel", standardize=False):
    """act(x @ W + b), W [in, out]."""
    w = net.P[name + "/w"]
    w = q.weight(standardize_weight(w) if standardize else w, role, name + "/w")
    return activate(act, q.matmul(q.activation(x, name), w, name) + net.P[name + "/b"])


def linear(net, name, x, q, role="kernel"):
    """x @ W (+ b) over the last axis of x of any rank."""
    w = q.weight(net.P[name + "/w"], role, name + "/w")
    x2 = x.reshape(-1, w.shape[0])
    y = q.matmul(q.activation(x2, name), w, name)
    if name + "/b" in net.P:
        y = y + net.P[name + "/b"]
    return y.reshape(*x.shape[:-1], w.shape[1])


def conv2d(net, name, x, q, padding=1, standardize=False):
    """3x3 convolution, stride 1, on NHWC x with an HWIO kernel."""
    w = net.P[name + "/w"]
    w = q.weight(standardize_weight(w) if standardize else w, "kernel", name + "/w")
    x = q.activation(x, name)
    b = net.P[name + "/b"] if name + "/b" in net.P else None
    y = F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), b, padding=padding)
    return y.permute(0, 2, 3, 1)


def max_pool(x, size, stride, padding=0):
    return F.max_pool2d(x.permute(0, 3, 1, 2), size, stride, padding).permute(0, 2, 3, 1)


def embedding(net, name, ids, q):
    table = q.weight(net.P[name + "/table"], "embedding", name + "/table")
    return table[ids]


def attention(net, name, x, heads, causal, q):
    b, t, d = x.shape
    dh = d // heads

    def split(key):
        return linear(net, name + "/" + key, x, q).reshape(b, t, heads, dh).permute(0, 2, 1, 3)

    scores = split("q") @ split("k").transpose(-1, -2) * (1 / math.sqrt(dh))
    if causal:
        scores = scores + torch.triu(torch.full((t, t), -1e9, device=x.device), diagonal=1)
    heads_out = torch.softmax(scores, dim=-1) @ split("v")
    merged = heads_out.permute(0, 2, 1, 3).reshape(b, t, d)
    return linear(net, name + "/o", merged, q)
`;

/** Quantizers, norms and layers, in the order the script defines them. */
export function pyLayers(): string {
  return [PY_QUANT, PY_NORMS, PY_LAYERS].join('\n');
}
