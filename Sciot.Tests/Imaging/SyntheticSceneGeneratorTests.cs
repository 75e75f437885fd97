using Sciot.Core.Imaging;

namespace Sciot.Tests.Imaging;

public class SyntheticSceneGeneratorTests
{
    private static readonly string[] Classes = ["background", "circle", "square"];

    [Fact]
    public void SameSeed_ProducesSameScenes()
    {
        var a = new SyntheticSceneGenerator(96, 96, Classes, seed: 7);
        var b = new SyntheticSceneGenerator(96, 96, Classes, seed: 7);

        for (var i = 0; i < 5; i++)
        {
            var sa = a.Next();
            var sb = b.Next();
            Assert.Equal(sa.Image.Pixels, sb.Image.Pixels);
            Assert.Equal(sa.Objects, sb.Objects);
        }
    }

    [Fact]
    public void DifferentSeed_ProducesDifferentImages()
    {
        var a = new SyntheticSceneGenerator(96, 96, Classes, seed: 1).Next();
        var b = new SyntheticSceneGenerator(96, 96, Classes, seed: 2).Next();

        Assert.NotEqual(a.Image.Pixels, b.Image.Pixels);
    }

    [Fact]
    public void Objects_lie_inside_the_frame_with_valid_classes_sizes_and_cells()
    {
        var generator = new SyntheticSceneGenerator(96, 96, Classes, seed: 3);
        var seen = new HashSet<int>();
        var counts = new HashSet<int>();

        for (var i = 0; i < 300; i++)
        {
            var scene = generator.Next();
            Assert.Equal(96, scene.Image.Width);
            counts.Add(scene.Objects.Count);
            foreach (var o in scene.Objects)
            {
                Assert.InRange(o.ClassIndex, 1, Classes.Length - 1);
                Assert.Equal(Classes[o.ClassIndex], o.ClassName);
                Assert.InRange(o.Size, 8, 22); // radius 4..11 px
                // Size is the diameter rounded to whole pixels, so it may overhang the true extent by half a pixel.
                Assert.InRange(o.CenterX - o.Size / 2f, -0.5f, 96f);
                Assert.InRange(o.CenterX + o.Size / 2f, 0f, 96.5f);
                Assert.InRange(o.CenterY - o.Size / 2f, -0.5f, 96f);
                Assert.InRange(o.CenterY + o.Size / 2f, 0f, 96.5f);
                Assert.Equal((int)(o.CenterX / 8), o.CellX);
                Assert.Equal((int)(o.CenterY / 8), o.CellY);
                seen.Add(o.ClassIndex);
            }
        }

        Assert.Equal(new[] { 1, 2 }, seen.Order());
        Assert.Equal(Enumerable.Range(0, SyntheticSceneGenerator.MaxObjects + 1), counts.Order());
    }

    [Fact]
    public void Objects_never_share_or_touch_a_grid_cell()
    {
        var generator = new SyntheticSceneGenerator(96, 96, Classes, seed: 8);
        for (var i = 0; i < 300; i++)
        {
            var objects = generator.Next().Objects;
            foreach (var a in objects)
            {
                foreach (var b in objects.Where(b => !ReferenceEquals(a, b)))
                {
                    Assert.True(Math.Max(Math.Abs(a.CellX - b.CellX), Math.Abs(a.CellY - b.CellY)) >= 2, $"{a} and {b} would merge");
                }
            }
        }
    }

    [Fact]
    public void Distractors_are_the_shapes_no_class_uses_and_lines()
    {
        var generator = new SyntheticSceneGenerator(96, 96, Classes, seed: 9);
        var shapes = Enumerable.Range(0, 200).SelectMany(_ => generator.Next().Distractors).Select(d => d.Shape).ToHashSet();

        Assert.Equal(new[] { "cross", "line", "triangle" }, shapes.Order());

        var four = new SyntheticSceneGenerator(96, 96, ["background", "circle", "square", "triangle", "cross"], seed: 9);
        Assert.Equal(new[] { "line" }, Enumerable.Range(0, 100).SelectMany(_ => four.Next().Distractors).Select(d => d.Shape).Distinct());
    }

    [Fact]
    public void ObjectSize_ScalesWithFrame()
    {
        var generator = new SyntheticSceneGenerator(192, 192, Classes, seed: 4);

        var sizes = Enumerable.Range(0, 100).SelectMany(_ => generator.Next().Objects).Select(o => o.Size).ToList();

        Assert.NotEmpty(sizes);
        Assert.All(sizes, s => Assert.InRange(s, 16, 44));
    }

    [Fact]
    public void TooManyClasses_Throws()
    {
        var classes = new[] { "background", "a", "b", "c", "d", "e" };

        Assert.Throws<ArgumentException>(() => new SyntheticSceneGenerator(96, 96, classes, seed: 0));
    }
}
