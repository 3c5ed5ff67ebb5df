import type { ModelKind } from '../models/schema';

/**
 * Python for the models of engine/models: each declares its parameters in the engine's order
 * (so the playground's generator initialises them to the same values) and a forward pass.
 * `ctx` is (training, quantizer); every forward returns (logits, router statistics).
 */

const PY_PARAMS = String.raw`
def dense_params(name, inputs, units, init, role="kernel"):
    std = math.sqrt(2 / inputs) if init == "he" else math.sqrt(2 / (inputs + units))
    return [(name + "/w", [inputs, units], ("normal", std), role), (name + "/b", [units], "zeros", "bias")]


def linear_params(name, inputs, units, std=None, role="kernel", bias=True):
    std = math.sqrt(1 / inputs) if std is None else std
    out = [(name + "/w", [inputs, units], ("normal", std), role)]
    return out + ([(name + "/b", [units], "zeros", "bias")] if bias else [])


def conv_params(name, inputs, filters, bias):
    std = math.sqrt(2 / (9 * inputs))
    out = [(name + "/w", [3, 3, inputs, filters], ("normal", std), "kernel")]
    return out + ([(name + "/b", [filters], "zeros", "bias")] if bias else [])


def js_round(x):
    return math.floor(x + 0.5)
`;

const PY_MLP = String.raw`
def model_params(m, shape):
    widths = [shape["inputs"]] + m["hidden"]
    init = "he" if m["activation"] in ("relu", "gelu") else "glorot"
    out = []
    for i in range(len(m["hidden"])):
        out += dense_params(f"dense{i}", widths[i], widths[i + 1], init)
        out += norm_params(m.get("norm", "none"), f"norm{i}", widths[i + 1])
    return out + dense_params("head", widths[-1], shape["outputs"], "glorot", role="head")


def model_buffers(m, shape):
    return [b for i, w in enumerate(m["hidden"]) for b in norm_buffers(m.get("norm", "none"), f"norm{i}", w)]


def model_forward(net, m, x, training, q):
    """Hidden layers act(N(x @ W + b)), the norm after the Linear; then a linear head."""
    kind = m.get("norm", "none")
    h = x.reshape(x.shape[0], -1)
    for i in range(len(m["hidden"])):
        ws = m.get("weightStandardization", False)
        if kind == "none":
            h = dense(net, f"dense{i}", h, m["activation"], q, standardize=ws)
        else:
            z = dense(net, f"dense{i}", h, "linear", q, standardize=ws)
            h = activate(m["activation"], norm(kind, net, f"norm{i}", z, training))
    return dense(net, "head", h, "linear", q, role="head"), []
`;

const PY_CNN = String.raw`
def model_params(m, shape):
    out, inputs, side = [], shape["channels"], shape["side"]
    for i, filters in enumerate(m["channels"]):
        out += conv_params(f"conv{i}", inputs, filters, bias=m["norm"] == "none")
        out += norm_params(m["norm"], f"norm{i}", filters)
        inputs, side = filters, side // 2
    return out + dense_params("head", side * side * inputs, shape["classes"], "glorot", role="head")


def model_buffers(m, shape):
    return [b for i, c in enumerate(m["channels"]) for b in norm_buffers(m["norm"], f"norm{i}", c)]


def model_forward(net, m, x, training, q):
    """Per entry of channels: Conv(3x3, same) -> norm -> ReLU -> MaxPool(2); then a linear head."""
    h = x
    for i in range(len(m["channels"])):
        z = conv2d(net, f"conv{i}", h, q, standardize=m["weightStandardization"])
        h = max_pool(torch.relu(norm(m["norm"], net, f"norm{i}", z, training)), 2, 2)
    return dense(net, "head", h.reshape(h.shape[0], -1), "linear", q, role="head"), []
`;

const PY_BLOCK = String.raw`
def block_params(name, m, moe):
    """The FFN's parameters first: the engine draws them before the attention's."""
    d = m["dim"]
    hidden = max(1, js_round(m["mlpRatio"] * d))
    out = []
    if moe:
        out += linear_params(name + "/moe/router", d, m["experts"], std=0.02, role="router", bias=False)
        for i in range(m["experts"]):
            out += linear_params(f"{name}/moe/expert{i}/fc1", d, hidden, std=math.sqrt(2 / d))
            out += linear_params(f"{name}/moe/expert{i}/fc2", hidden, d, std=math.sqrt(1 / hidden))
    else:
        out += linear_params(name + "/fc1", d, hidden, std=math.sqrt(2 / d))
        out += linear_params(name + "/fc2", hidden, d, std=math.sqrt(1 / hidden))
    out += norm_params(m["norm"], name + "/norm1", d)
    for key in ("q", "k", "v", "o"):
        out += linear_params(f"{name}/attn/{key}", d, d, bias=False)
    return out + norm_params(m["norm"], name + "/norm2", d)


def block_buffers(name, m):
    d = m["dim"]
    return norm_buffers(m["norm"], name + "/norm1", d) + norm_buffers(m["norm"], name + "/norm2", d)


def block(net, name, x, m, causal, order, training, q):
    """pre-ln: x + Attn(N1(x)), then + FFN(N2(x)); cct: x + Attn(N1(x)), x = N2(x), x + FFN(x)."""
    b, t, d = x.shape

    def nrm(key, h):
        return norm(m["norm"], net, f"{name}/{key}", h.reshape(b * t, d), training).reshape(b, t, d)

    h = x + attention(net, name + "/attn", nrm("norm1", x), m["heads"], causal, q)
    ffn_in = nrm("norm2", h)
    if order == "cct":
        h = ffn_in
    if m["kind"] == "moe":
        y, stats = moe_ffn(net, name + "/moe", ffn_in.reshape(b * t, d), m, q)
        return h + y.reshape(b, t, d), stats
    mid = activate("gelu", linear(net, name + "/fc1", ffn_in, q))
    return h + linear(net, name + "/fc2", mid, q), None
`;

const PY_MOE = String.raw`
def moe_ffn(net, name, x, m, q):
    """Top-K routed experts (Switch gates for K = 1, renormalised for K >= 2), capacity in token order."""
    probs = torch.softmax(linear(net, name + "/router", x, q, role="router"), dim=-1)
    t, e = probs.shape
    k = min(m["topK"], e)
    cf = m["capacityFactor"]
    capacity = math.ceil(cf * k * t / e) if cf > 0 else t
    with torch.no_grad():
        chosen_idx = torch.topk(probs, k, dim=1).indices
        assignments = torch.zeros_like(probs)
        kept = torch.zeros_like(probs)
        claimed = torch.zeros(e, device=x.device)
        for r in range(k):
            choice = F.one_hot(chosen_idx[:, r], e).to(probs.dtype)
            position = torch.cumsum(choice, 0) - choice + claimed
            kept = kept + choice * (position < capacity).to(probs.dtype)
            assignments = assignments + choice
            claimed = claimed + choice.sum(0)
    chosen = probs * assignments
    gates = (chosen if k == 1 else chosen / chosen.sum(1, keepdim=True)) * kept
    y = 0
    for i in range(e):
        h = activate("gelu", linear(net, f"{name}/expert{i}/fc1", x, q))
        y = y + linear(net, f"{name}/expert{i}/fc2", h, q) * gates[:, i:i + 1]
    return y, {"tokens": t, "topK": k, "counts": assignments.sum(0), "meanProbs": probs.mean(0)}


def load_balancing_loss(per_micro, scope):
    """N_E * sum_i f_i P_i, averaged over micro-batches; f per micro-batch or over all of them."""
    experts = per_micro[0]["counts"].shape[0]
    if scope == "global":
        f_all = sum(s["counts"] for s in per_micro) / sum(s["topK"] * s["tokens"] for s in per_micro)
    terms = []
    for s in per_micro:
        f = f_all if scope == "global" else s["counts"] / (s["topK"] * s["tokens"])
        terms.append(experts * (f * s["meanProbs"]).sum())
    return sum(terms) / len(per_micro)
`;

const PY_TRANSFORMER = String.raw`
def model_params(m, shape):
    d = m["dim"]
    out = [("tok/table", [shape["vocab"], d], ("normal", 0.02), "embedding")]
    out += [("pos/table", [shape["maxLength"], d], ("normal", 0.02), "embedding")]
    for layer in range(m["layers"]):
        out += block_params(f"block{layer}", m, m["kind"] == "moe")
    out += norm_params(m["norm"], "norm", d)
    return out + linear_params("head", d, shape["vocab"], role="head")


def model_buffers(m, shape):
    out = [b for layer in range(m["layers"]) for b in block_buffers(f"block{layer}", m)]
    return out + norm_buffers(m["norm"], "norm", m["dim"])


def model_forward(net, m, ids, training, q):
    """Token + position embeddings, pre-LN causal blocks, a final norm, a linear head."""
    b, t = ids.shape
    d = m["dim"]
    h = embedding(net, "tok", ids, q) + net.P["pos/table"][:t]
    routing = []
    for layer in range(m["layers"]):
        h, stats = block(net, f"block{layer}", h, m, True, "pre-ln", training, q)
        if stats is not None:
            routing.append(stats)
    normed = norm(m["norm"], net, "norm", h.reshape(b * t, d), training)
    logits = linear(net, "head", normed, q, role="head")
    return logits.reshape(b, t, -1), routing
`;

const PY_CCT = String.raw`
def cct_widths(m):
    n = m["convLayers"]
    return [m["dim"] if i == n - 1 else max(1, m["dim"] >> 1) for i in range(n)]


def cct_tokens(m, shape):
    side = shape["side"]
    for _ in range(m["convLayers"]):
        side = (side - 1) // 2 + 1
    return side * side


def cct_patch(m):
    return 2 ** m["convLayers"]


def model_params(m, shape):
    d, c = m["dim"], shape["channels"]
    out, inputs = [], c
    if m.get("tokenizer", "conv") == "conv":
        for i, filters in enumerate(cct_widths(m)):
            out += conv_params(f"tok{i}", inputs, filters, bias=False)
            inputs = filters
    else:
        out += linear_params("patch", cct_patch(m) ** 2 * c, d)
    cls = m.get("pooling", "sequence") == "class"
    if cls:
        out += [("cls/table", [1, d], ("normal", 0.02), "embedding")]
    out += [("pos/table", [cct_tokens(m, shape) + int(cls), d], ("normal", 0.1), "embedding")]
    for layer in range(m["layers"]):
        out += block_params(f"block{layer}", m, False)
    out += norm_params(m["norm"], "norm", d)
    if not cls:
        out += linear_params("pool", d, 1)
    return out + dense_params("head", d, shape["classes"], "glorot", role="head")


def model_buffers(m, shape):
    out = [b for layer in range(m["layers"]) for b in block_buffers(f"block{layer}", m)]
    return out + norm_buffers(m["norm"], "norm", m["dim"])


def model_forward(net, m, x, training, q):
    """Conv tokenizer (or ViT patches), encoder blocks in the CCT order, final norm, sequence
    pooling (or the class token), linear head. x is NHWC."""
    b, d = x.shape[0], m["dim"]
    if m.get("tokenizer", "conv") == "conv":
        h = x
        for i in range(m["convLayers"]):
            h = max_pool(torch.relu(conv2d(net, f"tok{i}", h, q, padding=1)), 3, 2, 1)
        seq = h.reshape(b, -1, d)
    else:
        p, side, c = cct_patch(m), x.shape[1], x.shape[3]
        s = -(-side // p)
        x = F.pad(x, (0, 0, 0, s * p - side, 0, s * p - side))
        rows = x.reshape(b, s, p, s, p * c).permute(0, 1, 3, 2, 4).reshape(b, s * s, p * p * c)
        seq = linear(net, "patch", rows, q)
    cls = m.get("pooling", "sequence") == "class"
    if cls:
        seq = torch.cat([net.P["cls/table"].reshape(1, 1, d).expand(b, 1, d), seq], dim=1)
    seq = seq + net.P["pos/table"]
    t = seq.shape[1]
    for layer in range(m["layers"]):
        seq, _ = block(net, f"block{layer}", seq, m, False, "cct", training, q)
    seq = norm(m["norm"], net, "norm", seq.reshape(b * t, d), training).reshape(b, t, d)
    if cls:
        z = seq[:, 0, :]
    else:
        weights = torch.softmax(linear(net, "pool", seq, q).reshape(b, 1, t), dim=-1)
        z = (weights @ seq).reshape(b, d)
    return dense(net, "head", z, "linear", q, role="head"), []
`;

/** The Python of one model kind: its parameter list, buffers and forward pass. */
export function pyModel(kind: ModelKind): string {
  switch (kind) {
    case 'mlp':
      return PY_PARAMS + PY_MLP;
    case 'cnn':
      return PY_PARAMS + PY_CNN;
    case 'cct':
      return PY_PARAMS + PY_BLOCK + PY_CCT;
    case 'transformer':
      return PY_PARAMS + PY_BLOCK + PY_TRANSFORMER;
    case 'moe':
      return PY_PARAMS + PY_BLOCK + PY_MOE + PY_TRANSFORMER;
  }
}
