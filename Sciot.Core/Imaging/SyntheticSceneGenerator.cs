namespace Sciot.Core.Imaging;

/// <summary>
/// Seeded source of synthetic camera frames with known ground truth, so the split pipeline can run and be
/// scored without a dataset or a camera. Class index 0 is background and never drawn; class 1 is a circle,
/// 2 a square, 3 a triangle, 4 a diamond and 5 a cross.
/// </summary>
public sealed class SyntheticSceneGenerator
{
    public const int MaxObjects = 3;

    // Object sizes are specified for the 96x96 FOMO input and scaled with the frame.
    private const int ReferenceFrameSize = 96;
    private const int ReferenceMinObjectSize = 12;
    private const int ReferenceMaxObjectSize = 24;
    private const int MinFrameSize = 16;
    private const int PlacementAttempts = 20;
    private const int ObjectGap = 2;
    private const int NoiseAmplitude = 6;
    private const int BackgroundTint = 20;

    private static readonly Shape[] Shapes = [Shape.Circle, Shape.Square, Shape.Triangle, Shape.Diamond, Shape.Cross];

    private readonly Random _random;
    private readonly int _minSize;
    private readonly int _maxSize;

    public SyntheticSceneGenerator(int width, int height, IReadOnlyList<string> objectClasses, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, MinFrameSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, MinFrameSize);
        ArgumentNullException.ThrowIfNull(objectClasses);
        if (objectClasses.Count < 2)
        {
            throw new ArgumentException(
                "Object classes must contain background at index 0 and at least one drawable class.",
                nameof(objectClasses));
        }
        // Reusing a shape for two classes would make them indistinguishable, so the scores would be meaningless.
        if (objectClasses.Count - 1 > Shapes.Length)
        {
            throw new ArgumentException(
                $"At most {Shapes.Length} object classes besides background can be drawn, got {objectClasses.Count - 1}.",
                nameof(objectClasses));
        }

        Width = width;
        Height = height;
        ObjectClasses = objectClasses.ToArray();
        _random = new Random(seed);
        var scale = Math.Min(width, height) / (double)ReferenceFrameSize;
        _minSize = Math.Max(3, (int)Math.Round(ReferenceMinObjectSize * scale));
        _maxSize = Math.Max(_minSize, (int)Math.Round(ReferenceMaxObjectSize * scale));
    }

    public int Width { get; }

    public int Height { get; }

    public IReadOnlyList<string> ObjectClasses { get; }

    public SyntheticScene Next()
    {
        var pixels = new byte[RgbImage.ByteCount(Width, Height)];
        DrawBackground(pixels);

        var objects = new List<GroundTruthObject>();
        var count = _random.Next(MaxObjects + 1);
        for (var i = 0; i < count; i++)
        {
            var placed = TryPlace(objects);
            if (placed is not null)
            {
                DrawObject(pixels, placed, SaturatedColor());
                objects.Add(placed);
            }
        }

        AddSensorNoise(pixels);
        return new SyntheticScene(new RgbImage(Width, Height, pixels), objects);
    }

    private void DrawBackground(byte[] pixels)
    {
        var from = MutedColor();
        var to = MutedColor();
        var gradientAngle = _random.NextDouble() * 2 * Math.PI;
        var (gx, gy) = (Math.Cos(gradientAngle), Math.Sin(gradientAngle));
        var halfExtent = (Math.Abs(Width * gx) + Math.Abs(Height * gy)) / 2;

        var stripeAngle = _random.NextDouble() * Math.PI;
        var (sx, sy) = (Math.Cos(stripeAngle), Math.Sin(stripeAngle));
        var stripePeriod = 6 + _random.NextDouble() * 14;
        var stripeAmplitude = 4 + _random.NextDouble() * 10;
        var stripePhase = _random.NextDouble() * 2 * Math.PI;

        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var t = ((x - Width / 2.0) * gx + (y - Height / 2.0) * gy) / halfExtent * 0.5 + 0.5;
                // Stripes shift all channels equally so the background texture never becomes saturated like objects.
                var stripe = stripeAmplitude * Math.Sin(2 * Math.PI * (x * sx + y * sy) / stripePeriod + stripePhase);
                var i = (y * Width + x) * RgbImage.Channels;
                for (var c = 0; c < RgbImage.Channels; c++)
                {
                    pixels[i + c] = ClampToByte(from[c] + (to[c] - from[c]) * t + stripe);
                }
            }
        }
    }

    private GroundTruthObject? TryPlace(List<GroundTruthObject> existing)
    {
        var classIndex = 1 + _random.Next(ObjectClasses.Count - 1);
        var size = _random.Next(_minSize, _maxSize + 1);
        for (var attempt = 0; attempt < PlacementAttempts; attempt++)
        {
            var cx = (float)(size / 2.0 + _random.NextDouble() * (Width - size));
            var cy = (float)(size / 2.0 + _random.NextDouble() * (Height - size));
            // Bounding boxes must stay apart: overlapping objects would have ambiguous ground truth.
            var clear = existing.All(o =>
                Math.Abs(o.CenterX - cx) >= (o.Size + size) / 2.0 + ObjectGap
                || Math.Abs(o.CenterY - cy) >= (o.Size + size) / 2.0 + ObjectGap);
            if (clear)
            {
                return new GroundTruthObject(classIndex, ObjectClasses[classIndex], cx, cy, size);
            }
        }
        return null;
    }

    private void DrawObject(byte[] pixels, GroundTruthObject obj, byte[] color)
    {
        var shape = Shapes[obj.ClassIndex - 1];
        var r = obj.Size / 2.0;
        var x0 = Math.Max(0, (int)Math.Floor(obj.CenterX - r));
        var x1 = Math.Min(Width - 1, (int)Math.Ceiling(obj.CenterX + r));
        var y0 = Math.Max(0, (int)Math.Floor(obj.CenterY - r));
        var y1 = Math.Min(Height - 1, (int)Math.Ceiling(obj.CenterY + r));
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                if (Contains(shape, x + 0.5 - obj.CenterX, y + 0.5 - obj.CenterY, r))
                {
                    color.CopyTo(pixels, (y * Width + x) * RgbImage.Channels);
                }
            }
        }
    }

    private static bool Contains(Shape shape, double dx, double dy, double r) => shape switch
    {
        Shape.Circle => dx * dx + dy * dy <= r * r,
        Shape.Square => Math.Abs(dx) <= r && Math.Abs(dy) <= r,
        Shape.Triangle => dy >= -r && dy <= r && Math.Abs(dx) <= (dy + r) / 2,
        Shape.Diamond => Math.Abs(dx) + Math.Abs(dy) <= r,
        Shape.Cross => (Math.Abs(dx) <= r / 3 && Math.Abs(dy) <= r) || (Math.Abs(dy) <= r / 3 && Math.Abs(dx) <= r),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    private void AddSensorNoise(byte[] pixels)
    {
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = ClampToByte(pixels[i] + _random.Next(-NoiseAmplitude, NoiseAmplitude + 1));
        }
    }

    /// <summary>A grey with a slight tint: low chroma keeps the background clearly apart from the saturated objects.</summary>
    private double[] MutedColor()
    {
        var grey = _random.Next(60, 191);
        return
        [
            grey + _random.Next(-BackgroundTint, BackgroundTint + 1),
            grey + _random.Next(-BackgroundTint, BackgroundTint + 1),
            grey + _random.Next(-BackgroundTint, BackgroundTint + 1),
        ];
    }

    /// <summary>Fully saturated color of random hue (HSV with S = 1), so one channel is always near zero.</summary>
    private byte[] SaturatedColor()
    {
        var hue = _random.NextDouble() * 6;
        var value = 0.8 + _random.NextDouble() * 0.2;
        var rising = value * (1 - Math.Abs(hue % 2 - 1));
        var (r, g, b) = (int)hue switch
        {
            0 => (value, rising, 0.0),
            1 => (rising, value, 0.0),
            2 => (0.0, value, rising),
            3 => (0.0, rising, value),
            4 => (rising, 0.0, value),
            _ => (value, 0.0, rising),
        };
        return [ClampToByte(r * 255), ClampToByte(g * 255), ClampToByte(b * 255)];
    }

    private static byte ClampToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private enum Shape
    {
        Circle,
        Square,
        Triangle,
        Diamond,
        Cross,
    }
}
