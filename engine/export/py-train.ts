/**
 * Python for the task (data, loss, evaluation) and the training loop of an exported script.
 * The loop follows engine/run.ts: per step the schedule's rate, the sampler's batch, the
 * micro-batched loss, the gradient norm before the update, then the update.
 */

export const PY_TASK = String.raw`
class Net(nn.Module):
    """The model's parameters under the engine's names, initialised as the playground does."""

    def __init__(self, specs, buffers, seed, device):
        super().__init__()
        self.P = nn.ParameterDict()
        self.roles = {}
        rng = Rng(seed)
        for name, shape, init, role in specs:
            n = math.prod(shape)
            if init == "zeros":
                values = torch.zeros(n)
            elif init == "ones":
                values = torch.ones(n)
            else:
                values = torch.tensor([init[1] * rng.normal() for _ in range(n)], dtype=torch.float32)
            self.P[name] = nn.Parameter(values.reshape(shape).to(device))
            self.roles[name] = role
        self.B = {}
        for i, (name, shape, fill) in enumerate(buffers):
            self.B[name] = torch.full(shape, fill, device=device)
            self.register_buffer(f"running{i}", self.B[name])


def spaced(count, n):
    k = min(n, count)
    return [(i * count) // k for i in range(k)]


class Task(nn.Module):
    """A model on the run's data: forward(micro-batches) is the weighted mean loss (+ MoE balance)."""

    def __init__(self, cfg, data, meta, device):
        super().__init__()
        self.cfg, self.kind, self.device = cfg, meta["task"], device
        self.shape = json.loads(meta["shape"])
        self.eval_examples = int(meta["evalExamples"])
        self.d = {k: v.to(device) for k, v in data.items() if k != "lr"}
        if self.kind == "image":
            for split in ("train", "test"):
                self.d[split + "_x"] = self.d[split + "_x"].to(torch.float32) / 255
        if self.kind in ("image", "modular", "classification"):
            for split in ("train", "test"):
                self.d[split + "_y"] = self.d[split + "_y"].to(torch.long)
        if self.kind == "language":
            self.L = self.shape["maxLength"]
            self.offsets = torch.arange(self.L + 1, device=device)
            self.train_count = self.d["train_ids"].shape[0] - self.L
            self.test_count = self.d["test_ids"].shape[0] - self.L
        else:
            self.train_count = self.d["train_x"].shape[0]
            self.test_count = self.d["test_x"].shape[0]
        m = cfg["model"]
        self.net = Net(model_params(m, self.shape), model_buffers(m, self.shape), cfg["seed"], device)

    def examples(self, split, idx):
        """(inputs, targets) of the examples at idx (window starts for language)."""
        idx = torch.as_tensor(idx, dtype=torch.long, device=self.device)
        if self.kind == "language":
            w = self.d[split + "_ids"][idx[:, None] + self.offsets].to(torch.long)
            return w[:, :-1], w[:, 1:]
        return self.d[split + "_x"][idx], self.d[split + "_y"][idx]

    def logits(self, x, training, q):
        out, routing = model_forward(self.net, self.cfg["model"], x, training, q)
        if self.kind == "modular":
            out = out[:, 3, :]
        return out, routing

    def loss_of(self, out, y):
        if self.kind == "regression":
            return ((out[:, 0] - y) ** 2).mean()
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))

    def forward(self, micro, total, q, world=1):
        loss, per_micro = 0.0, []
        for idx in micro:
            x, y = self.examples("train", idx)
            out, routing = self.logits(x, True, q)
            loss = loss + self.loss_of(out, y) * (len(idx) / total)
            per_micro.append(routing)
        m = self.cfg["model"]
        layers = len(per_micro[0])
        if m["kind"] == "moe" and m["lblAlpha"] > 0 and layers > 0:
            lbl = sum(load_balancing_loss([r[l] for r in per_micro], m["lblScope"]) for l in range(layers))
            loss = loss + lbl * (m["lblAlpha"] / layers / world)
        return loss

    @torch.no_grad()
    def evaluate(self, q):
        """Train loss, test loss, train accuracy, test accuracy, on the examples the playground evaluates."""
        out = []
        for split, count in (("train", self.train_count), ("test", self.test_count)):
            if self.kind == "language":
                idx = spaced(count, self.eval_examples)
            elif self.kind == "image":
                idx = list(range(min(self.eval_examples, count)))
            else:
                idx = list(range(count))
            logits, targets = [], []
            for i in range(0, len(idx), 250):
                x, y = self.examples(split, idx[i:i + 250])
                logits.append(self.logits(x, False, q)[0])
                targets.append(y)
            z, y = torch.cat(logits), torch.cat(targets)
            acc = float("nan") if self.kind == "regression" else (z.argmax(-1) == y).float().mean().item()
            out.append((self.loss_of(z, y).item(), acc))
        return out[0][0], out[1][0], out[0][1], out[1][1]
`;

export const PY_MAIN = String.raw`
def write_safetensors(path, tensors, meta):
    header, blobs, offset = {"__metadata__": meta}, [], 0
    names = {torch.float32: "F32", torch.int32: "I32", torch.uint8: "U8", torch.float64: "F64"}
    for name, t in tensors.items():
        raw = bytes(t.detach().cpu().contiguous().reshape(-1).view(torch.uint8).tolist())
        span = [offset, offset + len(raw)]
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": span}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode("utf-8")
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def main():
    parser = argparse.ArgumentParser(description="Train the exported playground run with PyTorch.")
    parser.add_argument("--data", default=DATA_FILE, help="the run's data, written beside this script")
    parser.add_argument("--weights", default=WEIGHTS_FILE,
                        help="weights to start from (.safetensors); empty: the playground's initialisation")
    parser.add_argument("--steps", type=int, default=CONFIG["steps"], help="train up to this step")
    parser.add_argument("--losses", default="", help="write the per-step losses here as JSON")
    parser.add_argument("--save", default="", help="write the final weights here (.safetensors)")
    args = parser.parse_args()

    rank, world, device = setup_processes()
    # Deterministic kernels where torch has them (a warning where it has none, e.g. max-pool on CUDA).
    torch.use_deterministic_algorithms(True, warn_only=True)
    here = os.path.dirname(os.path.abspath(__file__))
    data, meta = read_safetensors(os.path.join(here, args.data))
    task = Task(CONFIG, data, meta, device)
    start, epoch, position = 0, 0, 0
    if args.weights:
        saved, info = read_safetensors(os.path.join(here, args.weights))
        with torch.no_grad():
            for name, p in task.net.P.items():
                p.copy_(saved[name].to(device))
            for name, b in task.net.B.items():
                if "buffers/" + name in saved:
                    b.copy_(saved["buffers/" + name].to(device))
        start, epoch, position = int(info["step"]), int(info["epoch"]), int(info["position"])
    model = DDP(task) if world > 1 else task
    named = list(task.net.P.items())
    optimizers = make_optimizers(named, task.net.roles, CONFIG["optimizer"])
    sampler = BatchSampler(task.train_count, CONFIG["seed"], epoch, position)
    lrs, peak = data["lr"].tolist(), CONFIG["optimizer"]["lr"]
    q_train, q_eval = Quantizer(CONFIG["quant"]), Quantizer(CONFIG["quant"])
    batch = min(CONFIG["batchSize"], task.train_count)
    if rank == 0:
        count = sum(p.numel() for _, p in named)
        print(f"{count} parameters, {world} process(es), {device}, steps {start + 1}..{args.steps}")
    losses, norms = [], []
    for step in range(start, args.steps):
        mult = lrs[min(step, len(lrs) - 1)] / peak
        for opt in optimizers:
            for group in opt.param_groups:
                group["lr"] = group["base_lr"] * mult
        micro, total = my_micro_batches(sampler.next(batch), CONFIG["microBatches"], rank, world)
        loss = model(micro, total, q_train, world)
        for opt in optimizers:
            opt.zero_grad(set_to_none=True)
        (loss * world).backward()  # DDP averages over processes: the sum of the shards' losses
        grads = [p.grad for _, p in named if p.grad is not None]
        grad_norm = math.sqrt(sum(g.double().pow(2).sum().item() for g in grads))
        for opt in optimizers:
            opt.step()
        losses.append(all_sum(loss.item(), device))
        norms.append(grad_norm)
        if rank == 0 and ((step + 1) % CONFIG["metricsEvery"] == 0 or step + 1 == args.steps):
            tl, vl, ta, va = task.evaluate(q_eval)
            lr = lrs[min(step, len(lrs) - 1)]
            print(f"step {step + 1}  loss {losses[-1]:.5f}  grad norm {grad_norm:.4f}  lr {lr:.3g}"
                  f"  train loss {tl:.4f}  test loss {vl:.4f}  accuracy {ta:.4f}  test accuracy {va:.4f}")
    if rank == 0 and args.losses:
        with open(args.losses, "w") as f:
            json.dump({"loss": losses, "gradNorm": norms, "world": world}, f)
    if rank == 0 and args.save:
        tensors = {name: p for name, p in task.net.P.items()}
        tensors.update({"buffers/" + name: b for name, b in task.net.B.items()})
        where = {"step": str(args.steps), "epoch": str(sampler.epoch), "position": str(sampler.position)}
        write_safetensors(args.save, tensors, where)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
