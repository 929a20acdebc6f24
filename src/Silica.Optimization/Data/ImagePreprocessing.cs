namespace Silica.Optimization.Data;

/// <summary>
/// How an image file becomes a model input. Every mode decodes the file to RGB and lays it out NCHW
/// (<c>[1,3,H,W]</c>, float) with H and W from the model input's fixed or bound dimensions.
/// </summary>
public enum ImagePreprocessing
{
    /// <summary>
    /// Resize to the input's H×W (bilinear, aspect ratio not kept), scale to [0,1], then subtract the ImageNet mean
    /// (0.485, 0.456, 0.406) and divide by its standard deviation (0.229, 0.224, 0.225): torchvision classifiers.
    /// </summary>
    ImageNet,

    /// <summary>Resize to the input's H×W (bilinear) and scale to [0,1], nothing else.</summary>
    Unit,

    /// <summary>
    /// PaddleOCR text recognition: resize to the input's height keeping the aspect ratio, width capped at the input's
    /// width (bound, fixed, or 320 when dynamic), scale to [-1,1] ((x/255 − 0.5)/0.5), pad on the right with zeros.
    /// </summary>
    OcrRecognition,
}
