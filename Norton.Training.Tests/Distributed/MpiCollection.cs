using Xunit;

namespace Norton.Training.Tests.Distributed;

/// <summary>MPI jobs use both cores; run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MpiCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "MPI jobs";
}
