
use crate::*;
pub fn read(_p:&Path,_o:&ReadOptions)->Result<Dataset>{todo!()}
pub fn write(_p:&Path,_d:&Dataset)->Result<()>{todo!()}
pub fn sidecar_paths(p:&Path)->Vec<PathBuf>{vec![p.to_path_buf()]}
