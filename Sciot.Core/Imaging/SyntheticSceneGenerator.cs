namespace Sciot.Core.Imaging;

/// <summary>
/// The demo detection dataset: seeded synthetic camera frames with ground truth, used to train the shipped models,
/// to evaluate them and as the client's synthetic camera. Each frame has a textured, noisy background under a random
/// lighting gain and gradient, 0..<see cref="MaxObjects"/> objects and 0..<see cref="MaxDistractors"/> distractor
/// shapes (background), all of random colour, size and rotation drawn from the same distributions, so only shape
/// tells an object from a distractor. Class index 0 is background; class 1 is a circle, 2 a square, 3 a triangle,
/// 4 a cross; shapes no class uses, and lines, are distractors. Same seed, same frames (<see cref="Random"/> with a
/// seed is stable across .NET versions).
/// </summary>
public sealed class SyntheticSceneGenerator
{
    /// <summary>Names the distribution drawn here; changes whenever a change to this class changes the frames.</summary>
    public const string DatasetVersion = "sciot-shapes-2";

    public const int MaxObjects = 4;
    public const int MaxDistractors = 3;

    /// <summary>FOMO's output grid: ground truth names the cell of this grid each centroid falls in.</summary>
    public const int GridCells = 12;

    // Sizes are specified for the 96x96 FOMO input and scaled with the frame.
    private const int ReferenceFrameSize = 96;
    private const double ReferenceMinRadius = 4;
    private const double ReferenceMaxRadius = 11;
    private const int MinFrameSize = 16;
    private const int PlacementAttempts = 30;
    private const double ObjectGap = 2;
    private const int BackgroundTint = 20;

    private static readonly Shape[] ClassShapes = [Shape.Circle, Shape.Square, Shape.Triangle, Shape.Cross];

    private readonly Random _random;
    private readonly double _minRadius;
    private readonly double _maxRadius;
    private readonly Shape[] _distractorShapes;

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
        if (objectClasses.Count - 1 > ClassShapes.Length)
        {
            throw new ArgumentException(
                $"At most {ClassShapes.Length} object classes besides background can be drawn, got {objectClasses.Count - 1}.",
                nameof(objectClasses));
        }

        Width = width;
        Height = height;
        ObjectClasses = objectClasses.ToArray();
        _random = new Random(seed);
        var scale = Math.Min(width, height) / (double)ReferenceFrameSize;
        _minRadius = ReferenceMinRadius * scale;
        _maxRadius = ReferenceMaxRadius * scale;
        _distractorShapes = [.. ClassShapes.Skip(objectClasses.Count - 1), Shape.Line];
    }

    public int Width { get; }

    public int Height { get; }

    public IReadOnlyList<string> ObjectClasses { get; }

    public SyntheticScene Next()
    {
        var pixels = new double[Width * Height * RgbImage.Channels];
        DrawBackground(pixels);

        var objects = new List<GroundTruthObject>();
        var placed = new List<(double X, double Y, double Extent)>();
        var count = _random.Next(MaxObjects + 1);
        for (var i = 0; i < count; i++)
        {
            var classIndex = 1 + _random.Next(ObjectClasses.Count - 1);
            var item = TryPlace(ClassShapes[classIndex - 1], placed, objects);
            if (item is { } p)
            {
                Draw(pixels, p);
                placed.Add((p.X, p.Y, p.Extent));
                objects.Add(new GroundTruthObject(classIndex, ObjectClasses[classIndex], (float)p.X, (float)p.Y,
                    (int)Math.Round(2 * p.Radius), CellOf(p.X, Width), CellOf(p.Y, Height)));
            }
        }

        var distractors = new List<SceneDistractor>();
        var distractorCount = _random.Next(MaxDistractors + 1);
        for (var i = 0; i < distractorCount; i++)
        {
            var shape = _distractorShapes[_random.Next(_distractorShapes.Length)];
            if (TryPlace(shape, placed, null) is { } p)
            {
                Draw(pixels, p);
                placed.Add((p.X, p.Y, p.Extent));
                distractors.Add(new SceneDistractor(shape.ToString().ToLowerInvariant(), (float)p.X, (float)p.Y));
            }
        }

        var image = new byte[pixels.Length];
        ApplyLightingAndNoise(pixels, image);
        return new SyntheticScene(new RgbImage(Width, Height, image), objects, distractors);
    }

    private static int CellOf(double coordinate, int size) =>
        Math.Clamp((int)(coordinate * GridCells / size), 0, GridCells - 1);

    private void DrawBackground(double[] pixels)
    {
        var from = MutedColor();
        var to = MutedColor();
        var gradientAngle = _random.NextDouble() * 2 * Math.PI;
        var (gx, gy) = (Math.Cos(gradientAngle), Math.Sin(gradientAngle));
        var halfExtent = (Math.Abs(Width * gx) + Math.Abs(Height * gy)) / 2;
        var waves = new (double Kx, double Ky, double Amplitude, double Phase)[2];
        for (var i = 0; i < waves.Length; i++)
        {
            var angle = _random.NextDouble() * Math.PI;
            var period = 4 + _random.NextDouble() * 20;
            waves[i] = (Math.Cos(angle) * 2 * Math.PI / period, Math.Sin(angle) * 2 * Math.PI / period,
                3 + _random.NextDouble() * 12, _random.NextDouble() * 2 * Math.PI);
        }

        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var t = ((x - Width / 2.0) * gx + (y - Height / 2.0) * gy) / halfExtent * 0.5 + 0.5;
                // The texture shifts all channels equally, so it never becomes as colourful as objects can be.
                var texture = 0.0;
                foreach (var (kx, ky, amplitude, phase) in waves)
                {
                    texture += amplitude * Math.Sin(x * kx + y * ky + phase);
                }
                var i = (y * Width + x) * RgbImage.Channels;
                for (var c = 0; c < RgbImage.Channels; c++)
                {
                    pixels[i + c] = from[c] + (to[c] - from[c]) * t + texture;
                }
            }
        }
    }

    private Placement? TryPlace(Shape shape, List<(double X, double Y, double Extent)> placed, List<GroundTruthObject>? objects)
    {
        var radius = _minRadius + _random.NextDouble() * (_maxRadius - _minRadius);
        var angle = _random.NextDouble() * 2 * Math.PI;
        var lineLength = shape == Shape.Line ? radius * (1.5 + _random.NextDouble()) : 0;
        var lineHalfWidth = shape == Shape.Line ? 0.75 + _random.NextDouble() * 0.75 : 0;
        var extent = shape == Shape.Line ? lineLength : BoundingRadius(shape, radius);
        var color = ObjectColor();
        for (var attempt = 0; attempt < PlacementAttempts; attempt++)
        {
            var x = extent + _random.NextDouble() * (Width - 2 * extent);
            var y = extent + _random.NextDouble() * (Height - 2 * extent);
            // Shapes never touch, so every pixel of an object belongs to it alone.
            var clear = placed.All(p => Math.Sqrt((p.X - x) * (p.X - x) + (p.Y - y) * (p.Y - y)) >= p.Extent + extent + ObjectGap);
            // Objects in touching grid cells would merge into one FOMO blob, so ground truth keeps them a cell apart.
            if (clear && objects is not null)
            {
                var (cx, cy) = (CellOf(x, Width), CellOf(y, Height));
                clear = objects.All(o => Math.Max(Math.Abs(o.CellX - cx), Math.Abs(o.CellY - cy)) >= 2);
            }
            if (clear)
            {
                return new Placement(shape, x, y, radius, angle, extent, lineLength, lineHalfWidth, color);
            }
        }
        return null;
    }

    /// <summary>Distance from the centre to the farthest point of the shape with equal-area radius r.</summary>
    private static double BoundingRadius(Shape shape, double r) => shape switch
    {
        Shape.Circle => r,
        Shape.Square => r * SquareHalfSide * Math.Sqrt(2),
        Shape.Triangle => r * TriangleCircumradius,
        Shape.Cross => r * CrossArm * Math.Sqrt(1 + 1 / 9.0),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    // Equal-area factors relative to a circle of radius r, so size alone never tells the classes apart.
    private static readonly double SquareHalfSide = Math.Sqrt(Math.PI) / 2;
    private static readonly double TriangleCircumradius = Math.Sqrt(4 * Math.PI / (3 * Math.Sqrt(3)));
    private static readonly double CrossArm = Math.Sqrt(Math.PI * 9 / 20);

    private void Draw(double[] pixels, Placement p)
    {
        var x0 = Math.Max(0, (int)Math.Floor(p.X - p.Extent));
        var x1 = Math.Min(Width - 1, (int)Math.Ceiling(p.X + p.Extent));
        var y0 = Math.Max(0, (int)Math.Floor(p.Y - p.Extent));
        var y1 = Math.Min(Height - 1, (int)Math.Ceiling(p.Y + p.Extent));
        var (cos, sin) = (Math.Cos(p.Angle), Math.Sin(p.Angle));
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                var (dx, dy) = (x + 0.5 - p.X, y + 0.5 - p.Y);
                // Rotate the pixel into the shape's own frame.
                var (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
                if (Contains(p, u, v))
                {
                    var i = (y * Width + x) * RgbImage.Channels;
                    for (var c = 0; c < RgbImage.Channels; c++)
                    {
                        pixels[i + c] = p.Color[c];
                    }
                }
            }
        }
    }

    private static bool Contains(Placement p, double u, double v)
    {
        var r = p.Radius;
        switch (p.Shape)
        {
            case Shape.Circle:
                return u * u + v * v <= r * r;
            case Shape.Square:
                return Math.Abs(u) <= r * SquareHalfSide && Math.Abs(v) <= r * SquareHalfSide;
            case Shape.Triangle:
            {
                // Equilateral, apex up in its own frame, centred on its centroid.
                var R = r * TriangleCircumradius;
                return v <= R / 2 && v >= -R + Math.Abs(u) * Math.Sqrt(3);
            }
            case Shape.Cross:
            {
                var arm = r * CrossArm;
                return (Math.Abs(u) <= arm / 3 && Math.Abs(v) <= arm) || (Math.Abs(v) <= arm / 3 && Math.Abs(u) <= arm);
            }
            case Shape.Line:
                return Math.Abs(u) <= p.LineLength && Math.Abs(v) <= p.LineHalfWidth;
            default:
                throw new ArgumentOutOfRangeException(nameof(p), p.Shape, null);
        }
    }

    /// <summary>Lighting: a global gain and a linear illumination gradient over the whole frame, then sensor noise.</summary>
    private void ApplyLightingAndNoise(double[] pixels, byte[] image)
    {
        var gain = 0.6 + _random.NextDouble() * 0.7;
        var angle = _random.NextDouble() * 2 * Math.PI;
        var strength = _random.NextDouble() * 0.4;
        var (lx, ly) = (Math.Cos(angle) * strength / Width, Math.Sin(angle) * strength / Height);
        var noise = 2 + _random.Next(9);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var light = gain * (1 + (x - Width / 2.0) * lx + (y - Height / 2.0) * ly);
                var i = (y * Width + x) * RgbImage.Channels;
                for (var c = 0; c < RgbImage.Channels; c++)
                {
                    image[i + c] = ClampToByte(pixels[i + c] * light + _random.Next(-noise, noise + 1));
                }
            }
        }
    }

    /// <summary>A grey with a slight tint: low chroma keeps the background texture apart from the shapes.</summary>
    private double[] MutedColor()
    {
        var grey = _random.Next(50, 201);
        return
        [
            grey + _random.Next(-BackgroundTint, BackgroundTint + 1),
            grey + _random.Next(-BackgroundTint, BackgroundTint + 1),
            grey + _random.Next(-BackgroundTint, BackgroundTint + 1),
        ];
    }

    /// <summary>Random hue, saturation 0.6..1 and value 0.6..1 (HSV), the same for objects and distractors.</summary>
    private double[] ObjectColor()
    {
        var hue = _random.NextDouble() * 6;
        var saturation = 0.6 + _random.NextDouble() * 0.4;
        var value = 255 * (0.6 + _random.NextDouble() * 0.4);
        var low = value * (1 - saturation);
        var rising = low + (value - low) * (1 - Math.Abs(hue % 2 - 1));
        return (int)hue switch
        {
            0 => [value, rising, low],
            1 => [rising, value, low],
            2 => [low, value, rising],
            3 => [low, rising, value],
            4 => [rising, low, value],
            _ => [value, low, rising],
        };
    }

    private static byte ClampToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private enum Shape
    {
        Circle,
        Square,
        Triangle,
        Cross,
        Line,
    }

    private sealed record Placement(Shape Shape, double X, double Y, double Radius, double Angle, double Extent,
        double LineLength, double LineHalfWidth, double[] Color);
}
