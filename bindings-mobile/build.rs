//! Generates the records, enums and client methods of every model and operation from the
//! core's reflection schema into OUT_DIR/models.rs (see build/codegen.rs).

#[path = "build/codegen.rs"]
mod codegen;

fn main() {
    let code = codegen::render(&cmi_core::reflect::schema());
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("models.rs");
    std::fs::write(&out, code).expect("write models.rs");
    println!("cargo::rerun-if-changed=build/codegen.rs");
}
