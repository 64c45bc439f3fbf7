using Norton.Models.S3D;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Norton.Models.Tests.S3D;

/// <summary>The stem quirks of docs/original-model.md §2.2, checked on hand-derived values.</summary>
public class S3DBuildingBlockTests
{
    [Fact]
    public void SpaceToDepthChannelIsBlockOffsetMajor()
    {
        // Spec §2.2: output channel ((dt*2+dh)*2+dw)*C + c holds input[c, 2t+dt, 2h+dh, 2w+dw].
        const int n = 2, c = 3, t = 4, h = 2, w = 6;
        using var x = arange(n * c * t * h * w, float32).reshape(n, c, t, h, w);
        using var y = SpaceToDepth.Apply(x);
        Assert.Equal(new long[] { n, 8 * c, t / 2, h / 2, w / 2 }, y.shape);
        var xs = x.data<float>().ToArray();
        var ys = y.contiguous().data<float>().ToArray();
        int yc = 8 * c, yt = t / 2, yh = h / 2, yw = w / 2;
        for (int b = 0; b < n; b++)
        for (int dt = 0; dt < 2; dt++)
        for (int dh = 0; dh < 2; dh++)
        for (int dw = 0; dw < 2; dw++)
        for (int ch = 0; ch < c; ch++)
        for (int ti = 0; ti < yt; ti++)
        for (int hi = 0; hi < yh; hi++)
        for (int wi = 0; wi < yw; wi++)
        {
            int outChannel = ((dt * 2 + dh) * 2 + dw) * c + ch;
            float expected = xs[(((b * c + ch) * t + 2 * ti + dt) * h + 2 * hi + dh) * w + 2 * wi + dw];
            float actual = ys[(((b * yc + outChannel) * yt + ti) * yh + hi) * yw + wi];
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(1, 3, 3, 1, 2, 2, new long[] { 0, 1, 0, 1, 0, 0 })]  // maxpool_2a / 3a: 1 after H and W
    [InlineData(3, 3, 3, 2, 2, 2, new long[] { 0, 1, 0, 1, 0, 1 })]  // maxpool_4a: 1 after T, H and W
    [InlineData(2, 2, 2, 2, 2, 2, new long[] { 0, 0, 0, 0, 0, 0 })]  // maxpool_5a: none
    [InlineData(5, 3, 3, 1, 1, 1, new long[] { 1, 1, 1, 1, 2, 2 })]  // odd total: the larger half goes after
    public void TfSamePaddingGoesAfter(long kt, long kh, long kw, long st, long sh, long sw, long[] expected)
    {
        using var pool = new MaxPool3dTfPadding((kt, kh, kw), (st, sh, sw));
        Assert.Equal(expected, pool.PaddingShape);
    }

    [Fact]
    public void TfSamePoolPadsZerosAfterAndUsesCeilMode()
    {
        // x[h,w] = 5h + w − 100 on a 5×5 map, kernel (1,3,3), stride (1,2,2): one zero row/column is added after
        // (6×6) and ceil mode gives 3 windows per axis, starting at 0, 2, 4. Windows that reach the padding see 0,
        // which beats the negative data; the others take their bottom-right element 5·(2i+2) + (2j+2) − 100.
        using var x = (arange(25, float32) - 100).reshape(1, 1, 1, 5, 5);
        using var pool = new MaxPool3dTfPadding((1, 3, 3), (1, 2, 2));
        using var y = pool.forward(x);
        var expected = new float[] { 12 - 100, 14 - 100, 0, 22 - 100, 24 - 100, 0, 0, 0, 0 };
        Assert.Equal(new long[] { 1, 1, 1, 3, 3 }, y.shape);
        Assert.Equal(expected, y.data<float>().ToArray());
    }

    [Fact]
    public void SeparableUnitFactorisesKernelStrideAndPadding()
    {
        using var unit = new STConv3d(4, 6, (3, 3, 3), stride: (2, 2, 2), padding: (1, 1, 1), separable: true);
        var shapes = unit.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new long[] { 6, 4, 1, 3, 3 }, shapes["conv1.weight"]);
        Assert.Equal(new long[] { 6, 6, 3, 1, 1 }, shapes["conv2.weight"]);
        Assert.DoesNotContain("conv1.bias", shapes.Keys);
        // (1,3,3)/s(1,2,2)/p(0,1,1) then (3,1,1)/s(2,1,1)/p(1,0,0): T 8 → 8 → 4, H 10 → 5, W 6 → 3.
        using var noGrad = no_grad();
        using var y = unit.forward(rand(new long[] { 1, 4, 8, 10, 6 }));
        Assert.Equal(new long[] { 1, 6, 4, 5, 3 }, y.shape);
        Assert.True(y.min().item<float>() >= 0, "ReLU output");
    }

    [Fact]
    public void SeparableUnitRejectsNonCubicKernel()
    {
        var e = Assert.Throws<ArgumentException>(() => new STConv3d(4, 6, (1, 3, 3), separable: true));
        Assert.Equal("kernelSize", e.ParamName);
    }

    [Fact]
    public void SelfGatingScalesEachChannelBySigmoidOfItsGateInput()
    {
        using var gate = new SelfGating(2);
        using (no_grad())
        {
            // fc = identity, bias 0: the weight of channel c is sigmoid(mean of channel c).
            gate.state_dict()["fc.weight"].copy_(eye(2));
            gate.state_dict()["fc.bias"].zero_();
        }
        using var x = tensor(new float[] { 1, 3, -2, -2 }).reshape(1, 2, 1, 1, 2); // channel means 2 and −2
        using var y = gate.forward(x);
        double s2 = 1 / (1 + Math.Exp(-2)), sm2 = 1 / (1 + Math.Exp(2));
        var expected = new[] { 1 * s2, 3 * s2, -2 * sm2, -2 * sm2 };
        var actual = y.data<float>().ToArray();
        for (int i = 0; i < 4; i++)
            Assert.Equal(expected[i], actual[i], 6);
    }
}
