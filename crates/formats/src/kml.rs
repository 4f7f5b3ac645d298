
use crate::*;
pub fn read(_p:&Path,_o:&ReadOptions)->Result<Dataset>{todo!()}
pub fn read_kmz(_p:&Path,_o:&ReadOptions)->Result<Dataset>{todo!()}
pub fn write(_p:&Path,_d:&Dataset)->Result<()>{todo!()}
pub fn write_kmz(_p:&Path,_d:&Dataset)->Result<()>{todo!()}
