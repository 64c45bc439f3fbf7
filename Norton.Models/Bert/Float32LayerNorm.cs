using Norton.Core.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Models.Bert;

/// <summary>
/// LayerNorm over the last dimension, computed in at least float32 and cast back to the input dtype, with
/// parameters <c>weight</c> (γ) and <c>bias</c> (β) as in <c>torch.nn.LayerNorm</c>.
/// </summary>
/// <remarks>
/// Float16/bfloat16 inputs are normalised in float32: the variance of half-precision activations would otherwise
/// lose most of its bits (BERT's eps 1e-12 is far below the float16 resolution). Float32 and float64 inputs are
/// normalised in their own dtype, so the result equals <c>torch.nn.LayerNorm</c>.
/// </remarks>
public sealed class Float32LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly long[] _shape;

    /// <summary>γ, initialised to ones. Shape (D).</summary>
    public Parameter weight;

    /// <summary>β, initialised to zeros. Shape (D).</summary>
    public Parameter bias;

    /// <summary>Creates a LayerNorm over a last dimension of size <paramref name="size"/>.</summary>
    /// <param name="size">D, the normalised width.</param>
    /// <param name="eps">Added to the variance (1e-12 in BERT, 1e-5 in the video MLP).</param>
    /// <param name="device">Where the parameters live (<c>torch.META</c> builds without storage).</param>
    /// <param name="dtype">The parameters' dtype (null: TorchSharp's default, float32), as in TorchSharp's own modules.</param>
    public Float32LayerNorm(long size, double eps, Device? device = null, ScalarType? dtype = null) : base("LayerNorm")
    {
        Guard.Positive(size, nameof(size));
        Guard.Positive(eps, nameof(eps));
        _shape = [size];
        Eps = eps;
        weight = new Parameter(ones(size, dtype, device));
        bias = new Parameter(zeros(size, dtype, device));
        RegisterComponents();
    }

    /// <summary>The epsilon added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Normalises the last dimension. Input (…, D); output (…, D) in the input's dtype.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var dtype = input.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : input.dtype;
        var y = nn.functional.layer_norm(input.to(dtype), _shape, weight.to(dtype), bias.to(dtype), Eps);
        return y.to(input.dtype).MoveToOuterDisposeScope();
    }
}
