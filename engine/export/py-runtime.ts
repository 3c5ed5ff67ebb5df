/**
 * The parts of an exported script that do not depend on the run: the playground's random
 * generator and batch order, the file reader, the process group. Python source, as strings.
 */

/** sfc32 seeded by splitmix32, as engine/rng.ts, and the per-epoch batch order of data/batches.ts. */
export const PY_RNG = String.raw`
M32 = 0xFFFFFFFF


class Rng:
    """sfc32 seeded through splitmix32, word for word the playground's generator."""

    def __init__(self, seed):
        s = [0, 0, 0, 0]
        x = seed & M32
        for i in range(4):
            x = (x + 0x9E3779B9) & M32
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
            s[i] = (z ^ (z >> 16)) & M32
        self.s = s
        for _ in range(12):
            self.word()

    def word(self):
        s = self.s
        t = (s[0] + s[1] + s[3]) & M32
        s[3] = (s[3] + 1) & M32
        s[0] = s[1] ^ (s[1] >> 9)
        s[1] = (s[2] + (s[2] << 3)) & M32
        s[2] = ((s[2] << 21) | (s[2] >> 11)) & M32
        s[2] = (s[2] + t) & M32
        return t

    def next(self):
        return self.word() / 4294967296.0

    def normal(self):
        u = 1.0 - self.next()
        v = self.next()
        return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v)

    def int(self, n):
        return math.floor(self.next() * n)


def permutation(rng, n):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


class BatchSampler:
    """Fixed-size index batches, reshuffled every epoch; epoch e's order depends on (seed, e) only."""

    def __init__(self, count, seed, epoch=0, position=0):
        self.count, self.seed, self.epoch, self.position = count, seed, epoch, position
        self.order = self.order_of(epoch)

    def order_of(self, epoch):
        return permutation(Rng((self.seed * 7919 + epoch * 104729) & M32), self.count)

    def next(self, size):
        out = []
        for _ in range(size):
            if self.position >= self.count:
                self.epoch += 1
                self.position = 0
                self.order = self.order_of(self.epoch)
            out.append(self.order[self.position])
            self.position += 1
        return out
`;

/** Reads the safetensors files written beside the script (no package needed). */
export const PY_SAFETENSORS = String.raw`
DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "U8": torch.uint8}


def read_safetensors(path):
    """Tensors and metadata of a .safetensors file: 8-byte header length, JSON header, raw data."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = bytearray(blob[8 + n:])
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        count = (end - start) // torch.empty((), dtype=dtype).element_size()
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=start) if count else torch.empty(0, dtype=dtype)
        tensors[name] = flat.clone().reshape(info["shape"])
    return tensors, meta
`;

/** One process, or one of torchrun's: gloo on CPU, nccl on GPUs. */
export const PY_DISTRIBUTED = String.raw`
def setup_processes():
    """(rank, world, device); joins the process group when started by torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if torch.cuda.is_available():
        local = int(os.environ.get("LOCAL_RANK", "0"))
        device = torch.device("cuda", local)
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return rank, world, device


def all_sum(value, device):
    if not (dist.is_available() and dist.is_initialized()):
        return value
    t = torch.tensor([value], dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.item()


def my_micro_batches(indices, micro_batches, rank, world):
    """The global batch split as the playground splits it (contiguous micro-batches of near-equal
    size), then the micro-batches dealt out to the processes in order. With fewer micro-batches
    than processes each process gets one slice of the batch."""
    b = len(indices)
    m = max(1, min(b, micro_batches))
    if m < world:
        m = min(b, world)
    bounds = [(j * b) // m for j in range(m + 1)]
    parts = [indices[bounds[j]:bounds[j + 1]] for j in range(m)]
    mine = parts[(rank * m) // world:((rank + 1) * m) // world]
    return mine, b
`;
