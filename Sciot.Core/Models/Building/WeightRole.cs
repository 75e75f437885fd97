namespace Sciot.Core.Models.Building;

/// <summary>What a learned initializer is for, so an untrained source can initialise each kind properly.</summary>
public enum WeightRole
{
    /// <summary>[out, in/group, kh, kw].</summary>
    ConvKernel,
    ConvBias,
    BatchNormScale,
    BatchNormShift,
    BatchNormMean,
    BatchNormVariance,
}
