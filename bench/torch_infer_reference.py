# PyTorch CPU reference for `npm run bench:speed`'s seed DCAE 12-MP figure: the same network (seed
# DCAE, colour: 3 channels in and out) run on the same tiles our pipeline feeds ONNX Runtime for a
# 4000x3000 photo (512-px tiles with a 32-px margin: the shapes and counts below, from
# engine/infer/tiling.ts), in inference mode on the same threads. Compute only (no decode or
# encode), to compare with the bench's "network compute" seconds. Prints one JSON line.
#   python3 bench/torch_infer_reference.py [threads] [rounds, default 1: the fastest is reported]
import json, sys, time
import torch
import torch.nn as nn

# Tile input shapes (height x width) and how many of each, for 4000x3000 (planTiles, size multiple 4).
TILES = {(512, 512): 48, (512, 480): 6, (376, 512): 8, (376, 480): 1}

def dcae(channels):
    def block(cin, cout, stride, transposed):
        conv = (nn.ConvTranspose2d(cin, cout, 3, stride, 1, output_padding=stride - 1) if transposed
                else nn.Conv2d(cin, cout, 3, stride, 1))
        return [conv, nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*block(channels, 64, 1, False), *block(64, 128, 2, False), *block(128, 256, 2, False),
                         nn.Conv2d(256, 64, 5, 1, 2), *block(64, 128, 2, True), *block(128, 64, 2, True),
                         nn.ConvTranspose2d(64, channels, 3, 1, 1), nn.Sigmoid())

def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
    n_rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = dcae(3).eval()
    rounds = []
    with torch.inference_mode():
        net(torch.rand(1, 3, 512, 512))  # warm-up
        for _ in range(n_rounds):
            t = time.perf_counter()
            for (h, w), n in TILES.items():
                x = torch.rand(1, 3, h, w)
                for _ in range(n):
                    net(x)
            rounds.append(time.perf_counter() - t)
    print(json.dumps({'torch': torch.__version__, 'threads': threads, 'tiles': sum(TILES.values()), 'seconds': min(rounds), 'rounds': rounds}))

main()
