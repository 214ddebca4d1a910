# PyTorch CPU reference for `npm run bench:train`: the same networks (seed DCAE, dcae-res) and the same
# step (batch 16 of 64x64 grey, MSE, Adam), timed on the same threads. Prints one JSON line.
import json, sys, time
import torch
import torch.nn as nn

def dcae():
    def block(cin, cout, stride, transposed):
        conv = (nn.ConvTranspose2d(cin, cout, 3, stride, 1, output_padding=stride - 1) if transposed
                else nn.Conv2d(cin, cout, 3, stride, 1))
        return [conv, nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*block(1, 64, 1, False), *block(64, 128, 2, False), *block(128, 256, 2, False),
                         nn.Conv2d(256, 64, 5, 1, 2), *block(64, 128, 2, True), *block(128, 64, 2, True),
                         nn.ConvTranspose2d(64, 1, 3, 1, 1), nn.Sigmoid())

class DcaeRes(nn.Module):
    def __init__(self):
        super().__init__()
        def level(cin, c):
            return nn.Sequential(nn.Conv2d(cin, c, 3, 1, 1), nn.ReLU(), nn.Conv2d(c, c, 3, 1, 1), nn.ReLU())
        self.enc1, self.enc2, self.mid = level(1, 32), level(64, 64), level(128, 128)
        self.down1, self.down2 = nn.Conv2d(32, 64, 2, 2), nn.Conv2d(64, 128, 2, 2)
        self.up2, self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.dec2, self.dec1 = level(64, 64), level(32, 32)
        self.out = nn.Conv2d(32, 1, 3, 1, 1)
    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(torch.relu(self.down1(e1)))
        m = self.mid(torch.relu(self.down2(e2)))
        d2 = self.dec2(torch.relu(self.up2(m)) + e2)
        d1 = self.dec1(torch.relu(self.up1(d2)) + e1)
        return self.out(d1)

def patches_per_second(net, steps=5, batch=16):
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x, y = torch.rand(batch, 1, 64, 64), torch.rand(batch, 1, 64, 64)
    def step():
        opt.zero_grad(); loss = ((net(x) - y) ** 2).mean(); loss.backward(); opt.step()
    step()
    t = time.perf_counter()
    for _ in range(steps): step()
    return batch * steps / (time.perf_counter() - t)

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(),
                  'dcae': patches_per_second(dcae()), 'dcae-res': patches_per_second(DcaeRes())}))
