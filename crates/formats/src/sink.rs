//! Where readers put features and writers take them from.

use crate::{FormatError, Result};
use std::path::{Path, PathBuf};
use terminus_geodesy::Crs;
use terminus_vector::{Dataset, Feature, Field, Layer};

/// Receives layers and their features, in order.
pub trait LayerSink {
    /// A new layer starts. `declared` lists field kinds the source declared.
    fn begin_layer(&mut self, name: &str, crs: &Crs, declared: &[Field]) -> Result<()>;
    /// One feature of the current layer.
    fn feature(&mut self, feature: Feature) -> Result<()>;
    /// The current layer is complete.
    fn end_layer(&mut self) -> Result<()>;
    /// All layers are done: flush and commit output.
    fn finish(&mut self) -> Result<()>;
}

/// Collects everything into a [`Dataset`].
#[derive(Default)]
pub struct DatasetCollector {
    ds: Dataset,
}

impl DatasetCollector {
    /// The collected dataset.
    pub fn into_dataset(self) -> Dataset {
        self.ds
    }
}

impl LayerSink for DatasetCollector {
    fn begin_layer(&mut self, name: &str, crs: &Crs, declared: &[Field]) -> Result<()> {
        let mut l = Layer::new(name, crs.clone());
        l.declared_fields = declared.to_vec();
        self.ds.layers.push(l);
        Ok(())
    }
    fn feature(&mut self, feature: Feature) -> Result<()> {
        if let Some(l) = self.ds.layers.last_mut() {
            l.features.push(feature);
        }
        Ok(())
    }
    fn end_layer(&mut self) -> Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Push a whole dataset into a sink (without calling `finish`).
pub(crate) fn replay(ds: Dataset, sink: &mut dyn LayerSink) -> Result<()> {
    for layer in ds.layers {
        let fields = layer.fields();
        sink.begin_layer(&layer.name, &layer.crs, &fields)?;
        for f in layer.features {
            sink.feature(f)?;
        }
        sink.end_layer()?;
    }
    Ok(())
}

type WriteFn = fn(&Path, &Dataset) -> Result<()>;

/// A sink for formats that need the whole dataset before writing (field
/// widths of a DBF, the schema block of a KML).
pub(crate) struct Buffered {
    path: PathBuf,
    write: WriteFn,
    collector: DatasetCollector,
}

impl Buffered {
    pub(crate) fn new(path: &Path, write: WriteFn) -> Buffered {
        Buffered {
            path: path.to_path_buf(),
            write,
            collector: DatasetCollector::default(),
        }
    }
}

impl LayerSink for Buffered {
    fn begin_layer(&mut self, name: &str, crs: &Crs, declared: &[Field]) -> Result<()> {
        self.collector.begin_layer(name, crs, declared)
    }
    fn feature(&mut self, feature: Feature) -> Result<()> {
        self.collector.feature(feature)
    }
    fn end_layer(&mut self) -> Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        let ds = std::mem::take(&mut self.collector).into_dataset();
        (self.write)(&self.path, &ds)
    }
}

/// Passes on only the layer called `name` (`convert --layer`); fails at the
/// end if there was none, naming the layers that exist.
pub struct LayerFilter<'a> {
    inner: &'a mut dyn LayerSink,
    name: String,
    source: PathBuf,
    active: bool,
    found: bool,
    seen: Vec<String>,
}

impl<'a> LayerFilter<'a> {
    /// Filter `inner` to the layer `name` of the file `source`.
    pub fn new(inner: &'a mut dyn LayerSink, name: &str, source: &Path) -> LayerFilter<'a> {
        LayerFilter {
            inner,
            name: name.to_string(),
            source: source.to_path_buf(),
            active: false,
            found: false,
            seen: Vec::new(),
        }
    }

    /// Check that the layer was found.
    pub fn check_found(&self) -> Result<()> {
        if self.found {
            Ok(())
        } else {
            Err(FormatError::malformed(
                &self.source,
                "",
                format!(
                    "no layer {:?}; layers are: {}",
                    self.name,
                    self.seen.join(", ")
                ),
            ))
        }
    }
}

impl LayerSink for LayerFilter<'_> {
    fn begin_layer(&mut self, name: &str, crs: &Crs, declared: &[Field]) -> Result<()> {
        self.seen.push(name.to_string());
        self.active = name == self.name;
        if self.active {
            self.found = true;
            self.inner.begin_layer(name, crs, declared)?;
        }
        Ok(())
    }
    fn feature(&mut self, feature: Feature) -> Result<()> {
        if self.active {
            self.inner.feature(feature)?;
        }
        Ok(())
    }
    fn end_layer(&mut self) -> Result<()> {
        if self.active {
            self.active = false;
            self.inner.end_layer()?;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        self.check_found()?;
        self.inner.finish()
    }
}
