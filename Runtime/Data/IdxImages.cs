namespace ModelC.Runtime.Data;

/// <summary>Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Columns"/> floats, image after image, row-major.</summary>
public readonly record struct IdxImages(float[] Pixels, int Count, int Rows, int Columns)
{
    /// <summary>Values per image.</summary>
    public int PixelsPerImage => Rows * Columns;
}
