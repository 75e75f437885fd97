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
    public void Objects_LieInsideFrameWithValidClassesAndSizes()
    {
        var generator = new SyntheticSceneGenerator(96, 96, Classes, seed: 3);
        var seen = new HashSet<int>();

        for (var i = 0; i < 200; i++)
        {
            var scene = generator.Next();
            Assert.Equal(96, scene.Image.Width);
            Assert.InRange(scene.Objects.Count, 0, SyntheticSceneGenerator.MaxObjects);
            foreach (var o in scene.Objects)
            {
                Assert.InRange(o.ClassIndex, 1, Classes.Length - 1);
                Assert.Equal(Classes[o.ClassIndex], o.ClassName);
                Assert.InRange(o.Size, 12, 24);
                Assert.InRange(o.CenterX - o.Size / 2f, 0f, 96f);
                Assert.InRange(o.CenterX + o.Size / 2f, 0f, 96f);
                Assert.InRange(o.CenterY - o.Size / 2f, 0f, 96f);
                Assert.InRange(o.CenterY + o.Size / 2f, 0f, 96f);
                seen.Add(o.ClassIndex);
            }
        }

        Assert.Equal(new[] { 1, 2 }, seen.Order());
    }

    [Fact]
    public void ObjectSize_ScalesWithFrame()
    {
        var generator = new SyntheticSceneGenerator(192, 192, Classes, seed: 4);

        var sizes = Enumerable.Range(0, 100).SelectMany(_ => generator.Next().Objects).Select(o => o.Size).ToList();

        Assert.NotEmpty(sizes);
        Assert.All(sizes, s => Assert.InRange(s, 24, 48));
    }

    [Fact]
    public void ObjectCenters_AreSaturatedWhileBackgroundIsNot()
    {
        var generator = new SyntheticSceneGenerator(96, 96, ["background", "circle", "square", "triangle", "diamond", "cross"], seed: 5);
        var checkedObjects = 0;

        for (var i = 0; i < 50; i++)
        {
            var scene = generator.Next();
            foreach (var o in scene.Objects)
            {
                Assert.True(Chroma(scene.Image.GetPixel((int)o.CenterX, (int)o.CenterY)) > 150, $"object {o} is not saturated");
                checkedObjects++;
            }
            for (var y = 0; y < 96; y += 5)
            {
                for (var x = 0; x < 96; x += 5)
                {
                    if (scene.Objects.All(o => Math.Abs(x + 0.5f - o.CenterX) > o.Size / 2f + 1 || Math.Abs(y + 0.5f - o.CenterY) > o.Size / 2f + 1))
                    {
                        Assert.True(Chroma(scene.Image.GetPixel(x, y)) < 60, $"background at ({x},{y}) is too saturated");
                    }
                }
            }
        }

        Assert.True(checkedObjects > 20);
    }

    [Fact]
    public void TooManyClasses_Throws()
    {
        var classes = new[] { "background", "a", "b", "c", "d", "e", "f" };

        Assert.Throws<ArgumentException>(() => new SyntheticSceneGenerator(96, 96, classes, seed: 0));
    }

    private static int Chroma((byte R, byte G, byte B) p) =>
        Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B));
}
