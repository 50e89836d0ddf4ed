; Inno Setup 6 script for DEAR Export: a per-user installer for the PyInstaller folder.
;
; Build the bundle first (python build\build_bundle.py), then either
;     python build\build_bundle.py --package
; or by hand, from the repository root:
;     iscc /DAppVersion=0.1.0 build\windows\dear-export.iss
;
; Defines (iscc /D...):
;   AppVersion  required: the version in app\__init__.py (build_bundle.py passes it)
;   BundleDir   the PyInstaller folder; default dist\dear-export
;   OutputDir   where Setup goes; default dist
;
; The installer needs no administrator rights: it installs for the current user into
; %LOCALAPPDATA%\Programs\DEAR Export (users who are administrators may choose "all users").
; Uninstalling removes the program only: settings, presets, logs and exports stay.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z build\windows\dear-export.iss
#endif
#define RepoRoot AddBackslash(SourcePath) + "..\.."
#ifndef BundleDir
  #define BundleDir RepoRoot + "\dist\dear-export"
#endif
#ifndef OutputDir
  #define OutputDir RepoRoot + "\dist"
#endif
#define AppName "DEAR Export"
#define WindowExe "DEAR Export.exe"
#define ConsoleExe "dear-export.exe"

[Setup]
; AppId identifies the program to Windows across upgrades: never change it.
AppId={{CB740E6F-AAE8-4015-845A-93F3EE3DE7FE}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=DEAR Export
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile={#RepoRoot}\resources\icons\app.ico
UninstallDisplayIcon={app}\{#WindowExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=DEAR-Export-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
; A running copy holds its files open: ask the user to close it rather than failing mid-copy.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole library folder, so files a newer build dropped do not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#WindowExe}"; WorkingDir: "{userdocs}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#WindowExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#WindowExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
